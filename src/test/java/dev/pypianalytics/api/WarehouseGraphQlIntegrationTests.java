package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stats} and {@code compare}, checked against the raw table and the freshness records. */
class WarehouseGraphQlIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    String text(String sql) {
        return clickHouse.queryOne(Sql.of(sql), row -> row.getString("v")).block();
    }

    @Test
    void statsEqualTheRawTableAndTheFreshnessRecords() {
        var response = graphQl.document("{ stats { totalDownloads projects firstDay lastDay lastCompleteDay gaps { date status expected recorded } } }")
                .execute();
        response.path("stats.totalDownloads").entity(Long.class).isEqualTo(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi"));
        response.path("stats.projects").entity(Long.class).isEqualTo(WarehouseTruth.count(clickHouse, "SELECT uniqExact(project) AS n FROM pypi"));
        response.path("stats.firstDay").entity(String.class).isEqualTo(text("SELECT toString(min(date)) AS v FROM pypi"));
        response.path("stats.lastDay").entity(String.class).isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi"));
        response.path("stats.lastCompleteDay").entity(String.class)
                .isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi_freshness FINAL WHERE status = 'complete'"));
        List<String> gaps = clickHouse.query(Sql.of("SELECT toString(date) AS d FROM pypi_freshness FINAL WHERE status != 'complete' "
                + "ORDER BY date DESC LIMIT 100"), row -> row.getString("d")).collectList().block();
        response.path("stats.gaps[*].date").entityList(String.class).isEqualTo(gaps);
    }

    @Test
    void healthReportsDataFreshness() {
        management.get().uri("/actuator/health/details").exchange()
                .expectBody()
                .jsonPath("$.components.dataFreshness.status").isEqualTo("UP")
                .jsonPath("$.components.dataFreshness.details.lastDay").isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi"))
                .jsonPath("$.components.dataFreshness.details.lastCompleteDay")
                .isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi_freshness FINAL WHERE status = 'complete'"))
                .jsonPath("$.components.dataFreshness.details.knownGaps").isNumber();
    }

    @Test
    void aDayMarkedMissingIsAGap() {
        clickHouse.execute(Sql.of("INSERT INTO pypi_freshness (date, expected_rows, pypi_rows, status, checked_by, checked_at) "
                + "VALUES ('2017-01-02', 10, 0, 'missing', 'test', now64(3))")).block();

        graphQl.document("{ stats { gaps { date status expected recorded } } }").execute()
                .path("stats.gaps[*].date").entityList(String.class).contains("2017-01-02")
                .path("stats.gaps[?(@.date == '2017-01-02')].status").entityList(String.class).containsExactly("MISSING")
                .path("stats.gaps[?(@.date == '2017-01-02')].expected").entityList(Long.class).containsExactly(10L);
    }

    @Test
    void compareAlignsSeveralProjectsInOneAnswer() {
        List<String> top = clickHouse.query(Sql.of("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 3"),
                row -> row.getString("project")).collectList().block();
        // The second name again in another spelling: it is the same project, answered once.
        List<String> names = List.of(top.get(0), top.get(1).toUpperCase(), top.get(2), top.get(1));
        Map<String, Object> filter = Map.of("from", "2025-01-01", "to", "2025-12-31", "ci", "EXCLUDE");

        var response = graphQl.document("query($names: [String!]!, $filter: DownloadFilter) { compare(names: $names, filter: $filter, "
                + "granularity: QUARTER) { name downloads { date downloads } } }").variable("names", names).variable("filter", filter).execute();

        response.path("compare[*].name").entityList(String.class).isEqualTo(top);
        for (int i = 0; i < top.size(); i++) {
            List<Long> expected = clickHouse.query(Sql.of("SELECT toStartOfQuarter(date) AS q, count() AS n FROM pypi WHERE project = {p:String} "
                    + "AND date BETWEEN '2025-01-01' AND '2025-12-31' AND ci IN ('false', 'unknown') GROUP BY q ORDER BY q")
                    .bind("p", top.get(i)), row -> row.getLong("n")).collectList().block();
            assertThat(expected).hasSize(4);
            response.path("compare[" + i + "].downloads[*].downloads").entityList(Long.class).isEqualTo(expected);
            response.path("compare[" + i + "].downloads[*].date").entityList(String.class)
                    .isEqualTo(List.of("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"));
        }
    }

    @Test
    void metadataComesFromTheLatestReleaseByVersionNumber() {
        List<String> top = clickHouse.query(Sql.of("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 10"),
                row -> row.getString("project")).collectList().block();
        for (String project : top) {
            // Independent of the gateway's PEP 440 comparator: demo versions are plain numbers, compared as integer arrays here.
            Map<String, String> expected = clickHouse.queryOne(Sql.of("""
                    SELECT argMax(version, arrayMap(x -> toUInt32(x), splitByChar('.', version))) AS latest,
                           argMax(summary, arrayMap(x -> toUInt32(x), splitByChar('.', version))) AS summary,
                           argMax(requires_python, arrayMap(x -> toUInt32(x), splitByChar('.', version))) AS requires_python,
                           toString(max(toDate(upload_time))) AS last_upload
                    FROM projects WHERE name = {p:String}""").bind("p", project), row -> Map.of("latest", row.getString("latest"),
                    "summary", row.getString("summary"), "requiresPython", row.getString("requires_python"),
                    "lastUpload", row.getString("last_upload"))).block();
            var response = graphQl.document("query($n: String!) { project(name: $n) { summary latestVersion requiresPython firstDownload "
                    + "lastDownload lastUpload homePage } }").variable("n", project).execute();
            response.path("project.latestVersion").entity(String.class).isEqualTo(expected.get("latest"))
                    .path("project.summary").entity(String.class).isEqualTo(expected.get("summary"))
                    .path("project.requiresPython").entity(String.class).isEqualTo(expected.get("requiresPython"))
                    .path("project.lastUpload").entity(String.class).isEqualTo(expected.get("lastUpload"))
                    .path("project.firstDownload").entity(String.class)
                    .isEqualTo(text("SELECT toString(min(date)) AS v FROM pypi WHERE project = '" + project + "'"))
                    .path("project.lastDownload").entity(String.class)
                    .isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi WHERE project = '" + project + "'"))
                    .path("project.homePage").entity(String.class).satisfies(page -> assertThat(page).endsWith("/" + project));
        }
    }

    @Test
    void compareNeedsTwoToTenNames() {
        for (List<String> names : List.of(List.of("boto3"), Collections.nCopies(11, "boto3"))) {
            graphQl.document("query($names: [String!]!) { compare(names: $names) { name } }").variable("names", names).execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                        assertThat(errors.getFirst().getMessage()).contains("compare takes 2 to 10 project names");
                    });
        }
    }
}
