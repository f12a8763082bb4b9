package dev.pypianalytics.planner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which table answers which shape, on a catalog with the warehouse's tables and realistic sizes. */
class PlannerTests {

    /** The columns of the tables in sql/ (the integration suite checks the real catalog against them). */
    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();
    static final Map<String, Long> ROWS = new LinkedHashMap<>();

    static void table(String name, long rows, String... columns) {
        COLUMNS.put(name, List.of(columns));
        ROWS.put(name, rows);
    }

    static {
        table("pypi", 10_000_000, "date", "country_code", "project", "type", "installer", "python_minor", "system", "version", "ci",
                "filename", "libc");
        table("pypi_downloads", 100, "project", "count");
        table("pypi_downloads_by_version", 1_000, "project", "version", "count");
        table("pypi_downloads_per_day", 5_000, "date", "project", "count");
        table("pypi_downloads_per_day_by_ci", 12_000, "date", "project", "ci", "count");
        table("pypi_downloads_per_day_by_version", 50_000, "date", "project", "version", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_country", 400_000, "date", "project", "version", "country_code", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_file_type", 80_000, "date", "project", "version", "type", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_python", 200_000, "date", "project", "version", "python_minor", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_system", 120_000, "date", "project", "version", "system", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_installer_by_type", 300_000, "date", "project", "version", "installer", "type", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_installer_by_type_by_country", 900_000, "date", "project", "version", "installer", "type",
                "country_code", "ci", "count");
        table("pypi_downloads_per_day_by_version_by_python_by_country", 800_000, "date", "project", "version", "python_minor", "country_code",
                "ci", "count");
        table("pypi_downloads_per_day_by_version_by_system_by_country", 700_000, "date", "project", "version", "system", "country_code", "ci",
                "count");
        table("pypi_downloads_per_day_by_installer", 30_000, "date", "project", "installer", "ci", "count");
        table("pypi_downloads_per_month", 2_000, "month", "project", "ci", "count");
        table("pypi_downloads_max_min", 100, "project", "max_date", "min_date");
        table("projects", 500, "name", "version", "summary");
    }

    static final Catalog CATALOG = Catalog.derive(COLUMNS, ROWS, "pypi");

    static Shape shape(String dimensions, String granularity, String range) {
        Set<Dimension> needed = dimensions == null ? Set.of()
                : Arrays.stream(dimensions.split("\\+")).map(Dimension::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Dimension.class)));
        DateRange days = range == null ? null
                : new DateRange(LocalDate.parse(range.substring(0, 10)), LocalDate.parse(range.substring(12)));
        return new Shape(needed, granularity == null ? null : Granularity.valueOf(granularity), days);
    }

    @ParameterizedTest(name = "{0} by {1} over {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            -                      , -       , -                        , pypi_downloads
            VERSION                , -       , -                        , pypi_downloads_by_version
            -                      , DAY     , -                        , pypi_downloads_per_day
            -                      , WEEK    , -                        , pypi_downloads_per_day
            -                      , MONTH   , -                        , pypi_downloads_per_month
            -                      , QUARTER , -                        , pypi_downloads_per_month
            -                      , YEAR    , 2024-01-01..2025-12-31   , pypi_downloads_per_month
            -                      , MONTH   , 2026-01-01..2026-02-28   , pypi_downloads_per_month
            -                      , MONTH   , 2026-01-01..2026-02-15   , pypi_downloads_per_day
            -                      , -       , 2026-01-10..2026-01-10   , pypi_downloads_per_day
            CI                     , -       , -                        , pypi_downloads_per_month
            CI                     , DAY     , -                        , pypi_downloads_per_day_by_ci
            CI                     , YEAR    , -                        , pypi_downloads_per_month
            VERSION                , DAY     , -                        , pypi_downloads_per_day_by_version
            VERSION+CI             , MONTH   , -                        , pypi_downloads_per_day_by_version
            COUNTRY                , -       , -                        , pypi_downloads_per_day_by_version_by_country
            COUNTRY+PYTHON_MINOR   , DAY     , -                        , pypi_downloads_per_day_by_version_by_python_by_country
            COUNTRY+SYSTEM+CI      , -       , -                        , pypi_downloads_per_day_by_version_by_system_by_country
            INSTALLER              , DAY     , -                        , pypi_downloads_per_day_by_installer
            INSTALLER+CI           , MONTH   , 2026-01-01..2026-03-31   , pypi_downloads_per_day_by_installer
            INSTALLER+FILE_TYPE    , -       , -                        , pypi_downloads_per_day_by_version_by_installer_by_type
            INSTALLER+COUNTRY      , -       , -                        , pypi_downloads_per_day_by_version_by_installer_by_type_by_country
            FILE_TYPE+VERSION      , WEEK    , -                        , pypi_downloads_per_day_by_version_by_file_type
            PYTHON_MINOR+SYSTEM    , -       , -                        , pypi
            INSTALLER+PYTHON_MINOR , DAY     , -                        , pypi
            """)
    void theCheapestCoveringTableAnswers(String dimensions, String granularity, String range, String table) {
        assertThat(CATALOG.choose(shape(dimensions, granularity, range)).name()).isEqualTo(table);
    }

    @Test
    void everyChosenTableReallyCoversItsShapeAndNoCheaperOneDoes() {
        for (Dimension a : Dimension.values()) {
            for (Granularity g : Granularity.values()) {
                Shape shape = new Shape(Set.of(a), g, null);
                TableSpec chosen = CATALOG.choose(shape);
                assertThat(chosen.dimensions()).contains(a);
                assertThat(chosen.time().serves(g.needs())).isTrue();
                assertThat(CATALOG.aggregates()).filteredOn(t -> t.covers(shape)).allSatisfy(t -> assertThat(t.rows()).isGreaterThanOrEqualTo(chosen.rows()));
            }
        }
    }

    @Test
    void tiesAreBrokenByNameNotByOrder() {
        TableSpec b = new TableSpec("b_table", Set.of(Dimension.VERSION), TimeKey.DAY, 10, false);
        TableSpec a = new TableSpec("a_table", Set.of(Dimension.VERSION), TimeKey.DAY, 10, false);
        TableSpec raw = new TableSpec("pypi", EnumSet.allOf(Dimension.class), TimeKey.DAY, 100, true);
        Shape shape = new Shape(Set.of(Dimension.VERSION), Granularity.DAY, null);
        assertThat(new Catalog(List.of(b, a), raw).choose(shape).name()).isEqualTo("a_table");
        assertThat(new Catalog(List.of(a, b), raw).choose(shape).name()).isEqualTo("a_table");
    }

    @Test
    void theCatalogKeepsOnlyPerProjectCountTables() {
        assertThat(CATALOG.aggregates()).extracting(TableSpec::name)
                .doesNotContain("pypi", "pypi_downloads_max_min", "projects").hasSize(15);
        assertThat(CATALOG.raw().raw()).isTrue();
        assertThat(CATALOG.raw().measure()).isEqualTo("count()");
        assertThat(CATALOG.table("pypi_downloads").orElseThrow().measure()).isEqualTo("sum(count)");
        assertThat(CATALOG.table("pypi_downloads_per_month").orElseThrow().time()).isEqualTo(TimeKey.MONTH);
    }

    @Test
    void aRangeEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new DateRange(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-01-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
    }
}
