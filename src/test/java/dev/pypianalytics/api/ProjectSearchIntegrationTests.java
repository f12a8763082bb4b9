package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The search box: prefix, most downloaded first, pages joined by cursors, totals batched per page. */
class ProjectSearchIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Test
    void pagesFollowEachOtherInDownloadOrder() {
        List<Map<String, Object>> expected = clickHouse.query(Sql.of("SELECT project, count() AS n FROM pypi WHERE startsWith(project, 'py') "
                + "GROUP BY project ORDER BY n DESC, project LIMIT 21"), row -> Map.<String, Object>of("name", row.getString("project"),
                "n", row.getLong("n"))).collectList().block();
        assertThat(expected).hasSize(21);
        List<String> names = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 3; page++) {
            var response = graphQl.document("query($after: String, $ci: DownloadFilter) { projects(prefix: \"PY\", first: 7, after: $after) "
                            + "{ edges { cursor node { name totalDownloads all: totalDownloads(filter: $ci) "
                            + "downloads(granularity: YEAR) { downloads } downloadSummary { allTime } } } pageInfo { hasNextPage endCursor } } }")
                    .variable("after", after).variable("ci", Map.of("ci", "ALL")).execute();
            names.addAll(response.path("projects.edges[*].node.name").entityList(String.class).get());
            totals.addAll(response.path("projects.edges[*].node.totalDownloads").entityList(Long.class).get());
            response.path("projects.edges[*].node.all").entityList(Long.class).isEqualTo(totals.subList(totals.size() - 7, totals.size()));
            response.path("projects.edges[*].node.downloadSummary.allTime").entityList(Long.class)
                    .isEqualTo(totals.subList(totals.size() - 7, totals.size()));
            // Each node's yearly series (loaded for the whole page at once) adds up to its total.
            List<Long> pageTotals = totals.subList(totals.size() - 7, totals.size());
            for (int i = 0; i < 7; i++) {
                long total = pageTotals.get(i);
                response.path("projects.edges[" + i + "].node.downloads[*].downloads").entityList(Long.class)
                        .satisfies(years -> assertThat(years.stream().mapToLong(Long::longValue).sum()).isEqualTo(total));
            }
            response.path("projects.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
            after = response.path("projects.pageInfo.endCursor").entity(String.class).get();
        }
        assertThat(names).isEqualTo(expected.stream().map(e -> (String) e.get("name")).toList());
        assertThat(totals).isEqualTo(expected.stream().map(e -> (Long) e.get("n")).toList());
    }

    @Test
    void anUnknownPrefixIsAnEmptyPageAndBadArgumentsSayWhy() {
        graphQl.document("{ projects(prefix: \"zzzzzz-none\") { edges { cursor } pageInfo { hasNextPage endCursor } } }").execute()
                .path("projects.edges").entityList(Object.class).hasSize(0)
                .path("projects.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
        for (Map.Entry<String, String> bad : Map.of(
                "{ projects(after: \"bm90IGEgY3Vyc29y\") { edges { cursor } } }", "after is not a cursor",
                "{ projects(first: 0) { edges { cursor } } }", "first must be between 1 and 100",
                "{ projects(prefix: \"a' OR 1=1\") { edges { cursor } } }", "prefix may hold only").entrySet()) {
            graphQl.document(bad.getKey()).execute().errors().satisfy(errors -> {
                assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                assertThat(errors.getFirst().getMessage()).contains(bad.getValue());
            });
        }
    }
}
