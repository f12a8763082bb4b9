package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The semantics choices ClickPy and pypistats make differently, offered as arguments with the gateway's own
 * behaviour as the default: each answer equals the same aggregation written here over the raw {@code pypi}
 * table — mirrors left out or kept, the unknown value left out of a split, weeks from Sunday, and the first or
 * last bucket marked partial (or left out) when the date range or the days with data cut it.
 */
class SemanticsFiltersIntegrationTests extends IntegrationTest {

    /** pypistats' mirroring installers, written down here independently of the gateway's list. */
    static final String MIRRORS = "('bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi')";

    @Autowired
    ClickHouse clickHouse;

    String project;

    <T> List<T> raw(Sql sql, Function<ResultRow, T> row) {
        return clickHouse.query(sql.withTimeout(Duration.ofMinutes(1)), row).collectList().block();
    }

    long count(String where) {
        return raw(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}" + where).bind("p", project), row -> row.getLong("n")).getFirst();
    }

    @BeforeEach
    void mostDownloaded() {
        project = raw(Sql.of("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 1"),
                row -> row.getString("project")).getFirst();
    }

    @Test
    void mirrorsAreCountedByDefaultAndCanBeLeftOutOrAlone() {
        long all = count("");
        long withoutMirrors = count(" AND installer NOT IN " + MIRRORS);
        long mirrorsOnly = count(" AND installer IN " + MIRRORS);
        assertThat(mirrorsOnly).as("the demo data has mirror downloads").isPositive();
        assertThat(withoutMirrors).isLessThan(all);

        var answer = graphQl.document("query($n: String!) { project(name: $n) { "
                        + "all: totalDownloads default: totalDownloads(filter: {}) "
                        + "excluded: totalDownloads(filter: { mirrors: EXCLUDE }) only: totalDownloads(filter: { mirrors: ONLY }) "
                        + "installers: breakdown(by: INSTALLER, filter: { mirrors: ONLY }) { entries { value downloads } total } } }")
                .variable("n", project).execute();
        answer.path("project.all").entity(Long.class).isEqualTo(all)
                .path("project.default").entity(Long.class).isEqualTo(all)
                .path("project.excluded").entity(Long.class).isEqualTo(withoutMirrors)
                .path("project.only").entity(Long.class).isEqualTo(mirrorsOnly)
                .path("project.installers.total").entity(Long.class).isEqualTo(mirrorsOnly)
                .path("project.installers.entries[*].value").entityList(String.class)
                .isEqualTo(raw(Sql.of("SELECT installer AS v FROM pypi WHERE project = {p:String} AND installer IN " + MIRRORS
                        + " GROUP BY v ORDER BY count() DESC, v").bind("p", project), row -> row.getString("v")));

        // The summary's fixed periods keep the filter's mirrors choice.
        String asOf = raw(Sql.of("SELECT toString(max(date)) AS d FROM pypi"), row -> row.getString("d")).getFirst();
        graphQl.document("query($n: String!) { project(name: $n) { downloadSummary(filter: { mirrors: EXCLUDE }) { lastMonth allTime } } }")
                .variable("n", project).execute()
                .path("project.downloadSummary.allTime").entity(Long.class).isEqualTo(withoutMirrors)
                .path("project.downloadSummary.lastMonth").entity(Long.class)
                .isEqualTo(count(" AND installer NOT IN " + MIRRORS + " AND date BETWEEN toDate('" + asOf + "') - 29 AND toDate('" + asOf + "')"));

        // Days and a CI filter together: answered from a daily table with the installer, equal to the raw table.
        String where = " AND date BETWEEN '2025-02-03' AND '2025-03-16' AND ci IN ('false', 'unknown') AND installer NOT IN " + MIRRORS;
        List<Long> weekly = raw(Sql.of("SELECT toMonday(date) AS d, count() AS n FROM pypi WHERE project = {p:String}" + where
                + " GROUP BY d ORDER BY d").bind("p", project), row -> row.getLong("n"));
        graphQl.document("query($n: String!) { project(name: $n) { downloads(granularity: WEEK, "
                        + "filter: { from: \"2025-02-03\", to: \"2025-03-16\", ci: EXCLUDE, mirrors: EXCLUDE }) { downloads } } }")
                .variable("n", project).execute()
                .path("project.downloads[*].downloads").entityList(Long.class).isEqualTo(weekly);
        graphQl.document("query($a: String!, $b: String!) { compare(names: [$a, $b], granularity: YEAR, filter: { mirrors: ONLY }) "
                        + "{ name downloads { date downloads } } }")
                .variable("a", project).variable("b", "requests").execute()
                .path("compare[0].downloads[*].downloads").entityList(Long.class)
                .isEqualTo(raw(Sql.of("SELECT toStartOfYear(date) AS d, count() AS n FROM pypi WHERE project = {p:String} AND installer IN " + MIRRORS
                        + " GROUP BY d ORDER BY d").bind("p", project), row -> row.getLong("n")));
    }

    @Test
    void theUnknownValueIsListedByDefaultAndCanBeLeftOutOfEveryFigure() {
        Map<String, String> columns = Map.of("COUNTRY", "country_code", "SYSTEM", "system", "INSTALLER", "installer", "CI", "ci");
        for (Map.Entry<String, String> dimension : columns.entrySet()) {
            String column = dimension.getValue();
            String unknown = column.equals("ci") ? "unknown" : "";
            String known = " AND toString(" + column + ") != '" + unknown + "'";
            long all = count("");
            long total = count(known);
            assertThat(total).as("the demo data has downloads with an unknown " + column).isLessThan(all);
            List<String> values = raw(Sql.of("SELECT toString(" + column + ") AS v FROM pypi WHERE project = {p:String}" + known
                    + " GROUP BY v ORDER BY count() DESC, v LIMIT 3").bind("p", project), row -> row.getString("v"));
            List<Long> counts = raw(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}" + known
                    + " GROUP BY toString(" + column + ") AS v ORDER BY n DESC, v LIMIT 3").bind("p", project), row -> row.getLong("n"));
            long listed = counts.stream().mapToLong(Long::longValue).sum();

            var answer = graphQl.document("query($n: String!, $by: Dimension!) { project(name: $n) { "
                            + "included: breakdown(by: $by, limit: 100) { entries { value } total } "
                            + "excluded: breakdown(by: $by, limit: 3, unknown: EXCLUDE) { entries { value downloads } other total } } }")
                    .variable("n", project).variable("by", dimension.getKey()).execute();
            answer.path("project.included.total").entity(Long.class).isEqualTo(all)
                    .path("project.included.entries[*].value").entityList(String.class).contains(unknown)
                    .path("project.excluded.entries[*].value").entityList(String.class).isEqualTo(values)
                    .path("project.excluded.entries[*].downloads").entityList(Long.class).isEqualTo(counts)
                    .path("project.excluded.other").entity(Long.class).isEqualTo(total - listed)
                    .path("project.excluded.total").entity(Long.class).isEqualTo(total);
        }

        // A split series without the unknown country: the leaders and the other series from known countries only.
        String where = " FROM pypi WHERE project = {p:String} AND date >= '2025-01-01' AND country_code != ''";
        List<String> leaders = raw(Sql.of("SELECT country_code AS v" + where + " GROUP BY v ORDER BY count() DESC, v LIMIT 2").bind("p", project),
                row -> row.getString("v"));
        var split = graphQl.document("query($n: String!) { project(name: $n) { downloadsBy(by: COUNTRY, granularity: QUARTER, top: 2, "
                        + "unknown: EXCLUDE, filter: { from: \"2025-01-01\" }) { value other downloads { downloads } } } }")
                .variable("n", project).execute();
        List<String> expected = new ArrayList<>(leaders);
        expected.add("other");
        split.path("project.downloadsBy[*].value").entityList(String.class).isEqualTo(expected);
        split.path("project.downloadsBy[2].downloads[*].downloads").entityList(Long.class)
                .isEqualTo(raw(Sql.of("SELECT toStartOfQuarter(date) AS q, count() AS n" + where + " AND country_code NOT IN {leaders:Array(String)} "
                        + "GROUP BY q ORDER BY q").bind("p", project).bind("leaders", leaders), row -> row.getLong("n")));
    }

    @Test
    void weeksStartOnMondayByDefaultAndOnSundayWhenAsked() {
        String where = " FROM pypi WHERE project = {p:String} AND date BETWEEN '2025-06-01' AND '2025-08-31'";
        List<Map<String, Object>> mondays = raw(Sql.of("SELECT toString(toMonday(date)) AS d, count() AS n" + where + " GROUP BY d ORDER BY d")
                .bind("p", project), row -> Map.of("date", row.getString("d"), "downloads", row.getLong("n")));
        // Written without ClickHouse's week modes: the day minus its days since Sunday.
        List<Map<String, Object>> sundays = raw(Sql.of("SELECT toString(date - (toDayOfWeek(date) % 7)) AS d, count() AS n" + where
                + " GROUP BY d ORDER BY d").bind("p", project), row -> Map.of("date", row.getString("d"), "downloads", row.getLong("n")));
        assertThat(sundays).isNotEqualTo(mondays);

        var answer = graphQl.document("query($n: String!) { project(name: $n) { "
                        + "monday: downloads(granularity: WEEK, filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { date downloads } "
                        + "explicit: downloads(granularity: WEEK, weekStart: MONDAY, filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { date downloads } "
                        + "sunday: downloads(granularity: WEEK, weekStart: SUNDAY, filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { date downloads } "
                        + "monthly: downloads(granularity: MONTH, weekStart: SUNDAY, filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { date } "
                        + "versions(limit: 1, filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { name series(granularity: WEEK, weekStart: SUNDAY) { date downloads } } } }")
                .variable("n", project).execute();
        answer.path("project.monday").entityList(Map.class).isEqualTo(asJson(mondays))
                .path("project.explicit").entityList(Map.class).isEqualTo(asJson(mondays))
                .path("project.sunday").entityList(Map.class).isEqualTo(asJson(sundays))
                .path("project.monthly[*].date").entityList(String.class).isEqualTo(List.of("2025-06-01", "2025-07-01", "2025-08-01"));
        answer.path("project.sunday[*].date").entityList(String.class)
                .satisfies(days -> assertThat(days).allSatisfy(day -> assertThat(LocalDate.parse(day).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY)));
        String version = answer.path("project.versions[0].name").entity(String.class).get();
        answer.path("project.versions[0].series[*].downloads").entityList(Long.class)
                .isEqualTo(raw(Sql.of("SELECT date - (toDayOfWeek(date) % 7) AS d, count() AS n" + where + " AND version = {v:String} GROUP BY d ORDER BY d")
                        .bind("p", project).bind("v", version), row -> row.getLong("n")));
        graphQl.document("query($a: String!) { compare(names: [$a, \"requests\"], granularity: WEEK, weekStart: SUNDAY, "
                        + "filter: { from: \"2025-06-01\", to: \"2025-08-31\" }) { downloads { date downloads } } }")
                .variable("a", project).execute()
                .path("compare[0].downloads").entityList(Map.class).isEqualTo(asJson(sundays));
    }

    @Test
    void bucketsCutByTheRangeOrTheDaysWithDataAreMarkedPartialAndCanBeLeftOut() {
        // From the middle of a month to the middle of another: the first and last months are partial.
        String where = " FROM pypi WHERE project = {p:String} AND date BETWEEN '2024-11-15' AND '2025-03-10'";
        List<Map<String, Object>> months = raw(Sql.of("SELECT toString(toStartOfMonth(date)) AS d, count() AS n, "
                        + "toStartOfMonth(date) < toDate('2024-11-15') OR toLastDayOfMonth(date) > toDate('2025-03-10') AS cut" + where
                        + " GROUP BY d, cut ORDER BY d").bind("p", project),
                row -> Map.of("date", row.getString("d"), "downloads", row.getLong("n"), "partial", row.getLong("cut") == 1));
        assertThat(months).extracting(m -> m.get("partial")).containsExactly(true, false, false, false, true);

        var answer = graphQl.document("query($n: String!) { project(name: $n) { "
                        + "marked: downloads(granularity: MONTH, filter: { from: \"2024-11-15\", to: \"2025-03-10\" }) { date downloads partial } "
                        + "whole: downloads(granularity: MONTH, partialBuckets: EXCLUDE, filter: { from: \"2024-11-15\", to: \"2025-03-10\" }) "
                        + "{ date downloads partial } "
                        + "days: downloads(granularity: DAY, partialBuckets: EXCLUDE, filter: { from: \"2024-11-15\", to: \"2024-11-30\" }) { partial } "
                        + "downloadsBy(by: FILE_TYPE, top: 1, granularity: MONTH, partialBuckets: EXCLUDE, "
                        + "filter: { from: \"2024-11-15\", to: \"2025-03-10\" }) { downloads { date partial } } } }")
                .variable("n", project).execute();
        answer.path("project.marked").entityList(Map.class).isEqualTo(asJson(months))
                .path("project.whole").entityList(Map.class).isEqualTo(asJson(months.stream().filter(m -> !(Boolean) m.get("partial")).toList()))
                .path("project.days[*].partial").entityList(Boolean.class).hasSize(raw(Sql.of("SELECT uniqExact(date) AS n FROM pypi WHERE project = {p:String} AND date BETWEEN '2024-11-15' AND '2024-11-30'")
                        .bind("p", project), row -> row.getLong("n")).getFirst().intValue())
                .satisfies(partial -> assertThat(partial).containsOnly(false))
                .path("project.downloadsBy[0].downloads[*].date").entityList(String.class)
                .isEqualTo(List.of("2024-12-01", "2025-01-01", "2025-02-01"));

        // Without a range, the days with data cut the first and the last bucket (unless the data starts or ends with one).
        String span = "(SELECT min(date) FROM pypi)";
        String end = "(SELECT max(date) FROM pypi)";
        List<Map<String, Object>> years = raw(Sql.of("SELECT toString(toStartOfYear(date)) AS d, count() AS n, "
                        + "toStartOfYear(date) < " + span + " OR addDays(addYears(toStartOfYear(date), 1), -1) > " + end + " AS cut "
                        + "FROM pypi WHERE project = {p:String} GROUP BY d, cut ORDER BY d").bind("p", project),
                row -> Map.of("date", row.getString("d"), "downloads", row.getLong("n"), "partial", row.getLong("cut") == 1));
        assertThat(years).extracting(m -> m.get("partial")).contains(true);
        graphQl.document("query($n: String!) { project(name: $n) { downloads(granularity: YEAR) { date downloads partial } } "
                        + "compare(names: [$n, \"requests\"], granularity: YEAR, partialBuckets: EXCLUDE) { downloads { date downloads partial } } }")
                .variable("n", project).execute()
                .path("project.downloads").entityList(Map.class).isEqualTo(asJson(years))
                .path("compare[0].downloads").entityList(Map.class).isEqualTo(asJson(years.stream().filter(m -> !(Boolean) m.get("partial")).toList()));
    }

    /** Counts as JSON numbers are read back (small ones as Integer). */
    private static List<Map<String, Object>> asJson(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Object> json = new java.util.LinkedHashMap<>(row);
            json.computeIfPresent("downloads", (key, value) -> value instanceof Long n && n <= Integer.MAX_VALUE ? (Object) n.intValue() : value);
            return (Map<String, Object>) json;
        }).toList();
    }
}
