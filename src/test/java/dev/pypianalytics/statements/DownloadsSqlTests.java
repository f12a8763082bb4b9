package dev.pypianalytics.statements;

import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.planner.TimeKey;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden SQL for the download queries; user values appear only in the bindings. */
class DownloadsSqlTests {

    static final TableSpec BY_COUNTRY = new TableSpec("pypi_downloads_per_day_by_version_by_country",
            Set.of(Dimension.VERSION, Dimension.COUNTRY, Dimension.CI), TimeKey.DAY, 10, false);
    static final TableSpec MONTHLY = new TableSpec("pypi_downloads_per_month", Set.of(Dimension.CI), TimeKey.MONTH, 10, false);
    static final TableSpec RAW = new TableSpec("pypi", EnumSet.allOf(Dimension.class), TimeKey.DAY, 10, true);

    @Test
    void aFilteredWeeklySeriesByCountry() {
        DownloadFilter filter = new DownloadFilter(new DateRange(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-03-01")),
                Map.of(Dimension.COUNTRY, List.of("US", "DE")), List.of("2"), DownloadFilter.CiMode.EXCLUDE);

        Sql sql = DownloadsSql.series(BY_COUNTRY, List.of("requests"), filter, Granularity.WEEK, Dimension.COUNTRY);

        assertThat(sql.text()).isEqualTo("SELECT project, toMonday(date) AS period, toString(country_code) AS value, "
                + "sum(count) AS downloads FROM pypi_downloads_per_day_by_version_by_country WHERE project IN {projects:Array(String)} "
                + "AND date BETWEEN {from:Date} AND {to:Date} AND country_code IN {in_country:Array(String)} AND (version = {vp0:String} OR startsWith(version, {vpd0:String})) "
                + "AND ci != 'true' GROUP BY project, period, value HAVING downloads != 0 ORDER BY project, period, value");
        assertThat(sql.bindings()).containsEntry("projects", List.of("requests")).containsEntry("in_country", List.of("US", "DE"))
                .containsEntry("vp0", "2").containsEntry("vpd0", "2.")
                .containsEntry("from", LocalDate.parse("2026-01-05")).containsEntry("to", LocalDate.parse("2026-03-01"));
    }

    @Test
    void aMonthTableGetsWholeMonths() {
        DownloadFilter filter = new DownloadFilter(new DateRange(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-31")),
                Map.of(), List.of(), DownloadFilter.CiMode.ONLY);

        Sql sql = DownloadsSql.series(MONTHLY, List.of("numpy"), filter, Granularity.QUARTER, null);

        assertThat(sql.text()).isEqualTo("SELECT project, toStartOfQuarter(month) AS period, sum(count) AS downloads "
                + "FROM pypi_downloads_per_month WHERE project IN {projects:Array(String)} AND month BETWEEN {from:Date} AND {to:Date} AND ci = 'true' "
                + "GROUP BY project, period HAVING downloads != 0 ORDER BY project, period");
        assertThat(sql.bindings()).containsEntry("from", LocalDate.parse("2025-01-01")).containsEntry("to", LocalDate.parse("2025-12-01"));
    }

    @Test
    void theTopOfAllProjectsHasNoProjectCondition() {
        DownloadFilter filter = new DownloadFilter(new DateRange(LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-31")),
                Map.of(), List.of(), DownloadFilter.CiMode.EXCLUDE);

        Sql sql = DownloadsSql.top(BY_COUNTRY, filter, 10);

        assertThat(sql.text()).isEqualTo("SELECT project, sum(count) AS downloads FROM pypi_downloads_per_day_by_version_by_country "
                + "WHERE date BETWEEN {from:Date} AND {to:Date} AND ci != 'true' GROUP BY project HAVING downloads != 0 "
                + "ORDER BY downloads DESC, project LIMIT {limit:UInt64}");
        assertThat(sql.bindings()).containsEntry("limit", 10L).doesNotContainKey("projects");
    }

    @Test
    void whatARankIsCountedAmongIsEveryProjectsDownloadsInOneRow() {
        DownloadFilter filter = new DownloadFilter(new DateRange(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")),
                Map.of(Dimension.COUNTRY, List.of("DE")), List.of(), DownloadFilter.CiMode.ALL);

        Sql sql = DownloadsSql.allProjectDownloads(BY_COUNTRY, filter);

        assertThat(sql.text()).isEqualTo("SELECT groupArray(downloads) AS downloads FROM (SELECT sum(count) AS downloads "
                + "FROM pypi_downloads_per_day_by_version_by_country WHERE date BETWEEN {from:Date} AND {to:Date} "
                + "AND country_code IN {in_country:Array(String)} GROUP BY project HAVING downloads != 0)");
        assertThat(sql.bindings()).containsEntry("in_country", List.of("DE")).doesNotContainKey("projects");
    }

    @Test
    void theRawTableCountsRowsAndInjectionStaysInTheBindings() {
        String injection = "x') OR 1=1; DROP TABLE pypi; --";
        DownloadFilter filter = new DownloadFilter(null, Map.of(Dimension.INSTALLER, List.of(injection)), List.of(injection),
                DownloadFilter.CiMode.ALL);

        Sql sql = DownloadsSql.totals(RAW, List.of(injection), filter, Dimension.PYTHON_MINOR);

        assertThat(sql.text()).isEqualTo("SELECT project, toString(python_minor) AS value, count() AS downloads FROM pypi "
                + "WHERE project IN {projects:Array(String)} AND installer IN {in_installer:Array(String)} AND (version = {vp0:String} OR startsWith(version, {vpd0:String})) "
                + "GROUP BY project, value HAVING downloads != 0 ORDER BY project, downloads DESC, value");
        assertThat(sql.text()).doesNotContain("DROP").doesNotContain("1=1");
        assertThat(sql.bindings().values()).contains(List.of(injection), injection);
    }

    @Test
    void mirrorsAreLeftOutOrKeptByTheirBoundInstallerNames() {
        DownloadFilter exclude = new DownloadFilter(null, Map.of(), List.of(), DownloadFilter.CiMode.ALL, DownloadFilter.MirrorMode.EXCLUDE);
        DownloadFilter only = new DownloadFilter(null, Map.of(Dimension.INSTALLER, List.of("pip")), List.of(), DownloadFilter.CiMode.ALL,
                DownloadFilter.MirrorMode.ONLY);

        Sql excluded = DownloadsSql.totals(RAW, List.of("requests"), exclude, null);
        Sql kept = DownloadsSql.totals(RAW, List.of("requests"), only, null);

        assertThat(excluded.text()).isEqualTo("SELECT project, count() AS downloads FROM pypi WHERE project IN {projects:Array(String)} "
                + "AND installer NOT IN {mirrors:Array(String)} GROUP BY project HAVING downloads != 0 ORDER BY project, downloads DESC");
        assertThat(kept.text()).contains("WHERE project IN {projects:Array(String)} AND installer IN {in_installer:Array(String)} AND installer IN {mirrors:Array(String)} GROUP BY");
        assertThat(excluded.bindings()).containsEntry("mirrors", List.of("bandersnatch", "z3c.pypimirror", "Artifactory", "devpi"));
        assertThat(DownloadsSql.totals(RAW, List.of("requests"), DownloadFilter.NONE, null).bindings()).doesNotContainKey("mirrors");
    }

    @Test
    void theUnknownValueIsLeftOutInTheStatementSoTotalsAgree() {
        DownloadFilter filter = new DownloadFilter(null, Map.of(), List.of(), DownloadFilter.CiMode.EXCLUDE)
                .withoutUnknown(Dimension.COUNTRY).withoutUnknown(Dimension.CI);

        Sql sql = DownloadsSql.totals(BY_COUNTRY, List.of("numpy"), filter, Dimension.COUNTRY);

        assertThat(sql.text()).isEqualTo("SELECT project, toString(country_code) AS value, sum(count) AS downloads "
                + "FROM pypi_downloads_per_day_by_version_by_country WHERE project IN {projects:Array(String)} AND ci != 'true' "
                + "AND country_code != '' AND ci != 'unknown' GROUP BY project, value HAVING downloads != 0 "
                + "ORDER BY project, downloads DESC, value");
    }

    @Test
    void weeksFromSundayBucketWithToStartOfWeekModeZero() {
        Sql sql = DownloadsSql.series(BY_COUNTRY, List.of("numpy"), DownloadFilter.NONE, Granularity.WEEK_FROM_SUNDAY, null);

        assertThat(sql.text()).isEqualTo("SELECT project, toStartOfWeek(date, 0) AS period, sum(count) AS downloads "
                + "FROM pypi_downloads_per_day_by_version_by_country WHERE project IN {projects:Array(String)} "
                + "GROUP BY project, period HAVING downloads != 0 ORDER BY project, period");
    }

    @Test
    void topValuesCutAtTheTopInTheStatement() {
        DownloadFilter filter = new DownloadFilter(null, Map.of(Dimension.COUNTRY, List.of("US")), List.of("1' OR 1=1"),
                DownloadFilter.CiMode.ALL);

        Sql sql = DownloadsSql.topValues(BY_COUNTRY, List.of("numpy"), filter, Dimension.VERSION, 3);

        assertThat(sql.text()).isEqualTo("SELECT project, toString(version) AS value, sum(count) AS downloads "
                + "FROM pypi_downloads_per_day_by_version_by_country WHERE project IN {projects:Array(String)} AND country_code IN {in_country:Array(String)} "
                + "AND (version = {vp0:String} OR startsWith(version, {vpd0:String})) GROUP BY project, value HAVING downloads != 0 "
                + "ORDER BY project, downloads DESC, value LIMIT {top:Int64} BY project");
        assertThat(sql.bindings()).containsEntry("top", 3L).containsEntry("vp0", "1' OR 1=1");
        assertThat(sql.text()).doesNotContain("OR 1=1");
    }

    @Test
    void topSeriesRankValuesOverThePeriodAndSumTheOthersPerBucket() {
        Sql sql = DownloadsSql.topSeries(BY_COUNTRY, List.of("numpy"), DownloadFilter.NONE, Granularity.MONTH, Dimension.COUNTRY, 2);

        assertThat(sql.text()).isEqualTo("SELECT project, slot, toString(slot) AS series, leader AS value, period, bucket_downloads AS downloads "
                + "FROM (SELECT project, least(toInt64(position), {top:Int64} + 1) AS slot, if(position <= {top:Int64}, value, '') AS leader, period, "
                + "sum(downloads) AS bucket_downloads FROM (SELECT project, period, value, downloads, "
                + "dense_rank() OVER (PARTITION BY project ORDER BY value_downloads DESC, value) AS position FROM ("
                + "SELECT project, period, value, downloads, sum(downloads) OVER (PARTITION BY project, value) AS value_downloads FROM ("
                + "SELECT project, toStartOfMonth(date) AS period, toString(country_code) AS value, sum(count) AS downloads "
                + "FROM pypi_downloads_per_day_by_version_by_country WHERE project IN {projects:Array(String)} "
                + "GROUP BY project, period, value HAVING downloads != 0))) GROUP BY project, slot, leader, period) "
                + "ORDER BY project, slot, period");
        assertThat(sql.bindings()).containsEntry("top", 2L).containsEntry("projects", List.of("numpy"));
    }
}
