package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every trend list equals the same ranking computed here over the raw pypi table (and projects). */
class TrendsIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    String asOf;

    @BeforeEach
    void lastDay() {
        asOf = strings("SELECT toString(max(date)) AS v FROM pypi").getFirst();
    }

    List<String> strings(String sql) {
        return clickHouse.query(Sql.of(sql.replace("{asOf}", "toDate('" + asOf + "')")), row -> row.getString("v")).collectList().block();
    }

    List<Long> longs(String sql) {
        return clickHouse.query(Sql.of(sql.replace("{asOf}", "toDate('" + asOf + "')")), row -> row.getLong("n")).collectList().block();
    }

    @Test
    void topEmergingAndNeedingRefreshEqualRankingsOverTheRawTable() {
        String top = "FROM pypi WHERE date BETWEEN {asOf} - 29 AND {asOf} AND ci IN ('false', 'unknown') GROUP BY project ORDER BY count() DESC, project LIMIT 10";
        String emerging = "FROM pypi GROUP BY project HAVING min(date) > subtractMonths({asOf}, 6) ORDER BY count() DESC, project LIMIT 10";
        String stale = "FROM pypi WHERE date BETWEEN {asOf} - 29 AND {asOf} AND project IN (SELECT name FROM projects GROUP BY name "
                + "HAVING max(toDate(upload_time)) < subtractMonths({asOf}, 12)) GROUP BY project ORDER BY count() DESC, project LIMIT 10";
        var response = graphQl.document("{ trends { asOf top(ci: EXCLUDE) { name downloads } emerging { name downloads } "
                + "needingRefresh { name downloads } } }").execute();

        response.path("trends.asOf").entity(String.class).isEqualTo(asOf);
        response.path("trends.top[*].name").entityList(String.class).isEqualTo(strings("SELECT project AS v " + top)).hasSize(10);
        response.path("trends.top[*].downloads").entityList(Long.class).isEqualTo(longs("SELECT count() AS n " + top));
        response.path("trends.emerging[*].name").entityList(String.class).isEqualTo(strings("SELECT project AS v " + emerging))
                .satisfies(list -> assertThat(list).isNotEmpty());
        response.path("trends.emerging[*].downloads").entityList(Long.class).isEqualTo(longs("SELECT count() AS n " + emerging));
        response.path("trends.needingRefresh[*].name").entityList(String.class).isEqualTo(strings("SELECT project AS v " + stale))
                .satisfies(list -> assertThat(list).isNotEmpty());
        response.path("trends.needingRefresh[*].downloads").entityList(Long.class).isEqualTo(longs("SELECT count() AS n " + stale));
    }

    @Test
    void hotProjectsAndRecentReleasesEqualTheRawTables() {
        String current = "if({asOf} = toLastDayOfMonth({asOf}), toStartOfMonth({asOf}), toStartOfMonth({asOf}) - toIntervalMonth(1))";
        String hot = "FROM pypi WHERE toStartOfMonth(date) IN (" + current + " - toIntervalMonth(1), " + current + ") GROUP BY project "
                + "HAVING countIf(toStartOfMonth(date) = " + current + " - toIntervalMonth(1)) >= 20 "
                + "ORDER BY countIf(toStartOfMonth(date) = " + current + ") / countIf(toStartOfMonth(date) = " + current
                + " - toIntervalMonth(1)) DESC, project LIMIT 5";
        List<String> hotNames = strings("SELECT project AS v " + hot);
        assertThat(hotNames).hasSize(5);
        List<Long> firstSeries = longs("SELECT count() AS n FROM pypi WHERE project = '" + hotNames.getFirst() + "' AND toStartOfMonth(date) "
                + "BETWEEN " + current + " - toIntervalMonth(11) AND " + current + " GROUP BY toStartOfMonth(date) ORDER BY toStartOfMonth(date)");
        // A month is partial when the data starts after its first day or ends before its last.
        List<Boolean> firstPartial = longs("SELECT toUInt64(m < (SELECT min(date) FROM pypi) OR toLastDayOfMonth(m) > (SELECT max(date) FROM pypi)) AS n "
                + "FROM (SELECT toStartOfMonth(date) AS m FROM pypi WHERE project = '" + hotNames.getFirst() + "' AND toStartOfMonth(date) "
                + "BETWEEN " + current + " - toIntervalMonth(11) AND " + current + " GROUP BY m) ORDER BY m").stream().map(n -> n == 1).toList();
        String releases = "FROM projects GROUP BY name, version ORDER BY min(upload_time) DESC, name, version LIMIT 5";

        var response = graphQl.document("{ trends { hot(minDownloads: 20, limit: 5) { name month previousMonth lastMonth growth "
                + "monthly { date downloads partial } } recentReleases(limit: 5) { name version uploadDay } } }").execute();

        response.path("trends.hot[*].name").entityList(String.class).isEqualTo(hotNames);
        response.path("trends.hot[*].lastMonth").entityList(Long.class)
                .isEqualTo(longs("SELECT countIf(toStartOfMonth(date) = " + current + ") AS n " + hot));
        response.path("trends.hot[*].previousMonth").entityList(Long.class)
                .isEqualTo(longs("SELECT countIf(toStartOfMonth(date) = " + current + " - toIntervalMonth(1)) AS n " + hot));
        response.path("trends.hot[0].monthly[*].downloads").entityList(Long.class).isEqualTo(firstSeries);
        response.path("trends.hot[0].monthly[*].partial").entityList(Boolean.class).isEqualTo(firstPartial);
        response.path("trends.recentReleases[*].name").entityList(String.class).isEqualTo(strings("SELECT name AS v " + releases));
        response.path("trends.recentReleases[*].version").entityList(String.class).isEqualTo(strings("SELECT version AS v " + releases));
        response.path("trends.recentReleases[*].uploadDay").entityList(String.class)
                .isEqualTo(strings("SELECT toString(toDate(min(upload_time))) AS v " + releases));
    }

    @Test
    void limitsAreChecked() {
        graphQl.document("{ trends { top(limit: 0) { name } } }").execute().errors().satisfy(errors -> {
            assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
            assertThat(errors.getFirst().getMessage()).contains("limit must be between 1 and 100");
        });
        graphQl.document("{ trends { emerging(months: 99) { name } } }").execute().errors()
                .satisfy(errors -> assertThat(errors.getFirst().getMessage()).contains("months must be between 1 and 36"));
    }
}
