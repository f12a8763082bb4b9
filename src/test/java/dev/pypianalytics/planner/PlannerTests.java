package dev.pypianalytics.planner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which table answers which shape, on a catalog with the warehouse's tables laid out as in sql/ (day
 * tables in monthly partitions, the per-project tables unpartitioned or yearly with small granules) and
 * sizes proportional to a 50-million-row warehouse of 15,000 projects over 36 months.
 */
class PlannerTests {

    /** The columns of the tables in sql/ ({@link #theFixtureIsTheTablesOfSqlFiles} checks them, and the layouts, against the DDL). */
    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();
    static final Map<String, Layout> LAYOUTS = new LinkedHashMap<>();
    static final LocalDate FIRST_MONTH = LocalDate.parse("2023-04-01");

    /** An all-time table sorted by project (one partition). */
    static void table(String name, long rows, long granule, String... columns) {
        COLUMNS.put(name, List.of(columns));
        LAYOUTS.put(name, new Layout(true, granule, List.of(new Layout.Partition(null, null, rows))));
    }

    /** A table sorted by project, its rows spread evenly over 36 months in partitions of {@code months} months. */
    static void days(String name, long rows, int months, long granule, String... columns) {
        COLUMNS.put(name, List.of(columns));
        List<Layout.Partition> partitions = new ArrayList<>();
        for (int month = 0; month < 36; month += months) {
            LocalDate from = FIRST_MONTH.plusMonths(month);
            partitions.add(new Layout.Partition(from, from.plusMonths(months).minusDays(1), rows * months / 36));
        }
        LAYOUTS.put(name, new Layout(true, granule, partitions));
    }

    static {
        days("pypi", 50_000_000, 1, 8192, "date", "country_code", "project", "type", "installer", "python_minor", "system", "version", "ci",
                "filename", "libc");
        table("pypi_downloads", 15_000, 8192, "project", "count");
        table("pypi_downloads_by_version", 150_000, 8192, "project", "version", "count");
        table("pypi_downloads_by_ci", 40_000, 256, "project", "ci", "count");
        table("pypi_downloads_by_version_by_ci", 400_000, 256, "project", "version", "ci", "count");
        table("pypi_downloads_by_python", 300_000, 256, "project", "python_minor", "ci", "count");
        table("pypi_downloads_by_system", 150_000, 256, "project", "system", "ci", "count");
        table("pypi_downloads_by_country", 900_000, 256, "project", "country_code", "ci", "count");
        table("pypi_downloads_by_installer_by_type", 400_000, 256, "project", "installer", "type", "ci", "count");
        days("pypi_downloads_per_day", 3_900_000, 1, 8192, "date", "project", "count");
        days("pypi_downloads_per_day_by_ci", 6_600_000, 1, 8192, "date", "project", "ci", "count");
        days("pypi_project_downloads_per_day", 6_600_000, 12, 256, "date", "project", "ci", "count");
        days("pypi_downloads_per_day_by_version", 18_000_000, 1, 8192, "date", "project", "version", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_country", 37_000_000, 1, 8192, "date", "project", "version", "country_code", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_file_type", 21_000_000, 1, 8192, "date", "project", "version", "type", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_python", 31_000_000, 1, 8192, "date", "project", "version", "python_minor", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_system", 23_000_000, 1, 8192, "date", "project", "version", "system", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_installer_by_type", 29_000_000, 1, 8192, "date", "project", "version", "installer", "type",
                "ci", "count");
        days("pypi_downloads_per_day_by_version_by_installer_by_type_by_country", 43_000_000, 1, 8192, "date", "project", "version",
                "installer", "type", "country_code", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_python_by_country", 45_000_000, 1, 8192, "date", "project", "version", "python_minor",
                "country_code", "ci", "count");
        days("pypi_downloads_per_day_by_version_by_system_by_country", 40_000_000, 1, 8192, "date", "project", "version", "system",
                "country_code", "ci", "count");
        days("pypi_downloads_per_day_by_installer", 12_600_000, 1, 8192, "date", "project", "installer", "ci", "count");
        COLUMNS.put("pypi_downloads_per_month", List.of("month", "project", "ci", "count"));
        LAYOUTS.put("pypi_downloads_per_month", new Layout(false, 8192, List.of(new Layout.Partition(null, null, 900_000))));
        table("pypi_downloads_max_min", 15_000, 8192, "project", "max_date", "min_date");
        table("projects", 300_000, 8192, "name", "version", "summary");
    }

    static final Catalog CATALOG = Catalog.derive(COLUMNS, LAYOUTS, "pypi");

    static Shape shape(String dimensions, String granularity, String range) {
        Set<Dimension> needed = dimensions == null ? Set.of()
                : Arrays.stream(dimensions.split("\\+")).map(Dimension::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Dimension.class)));
        DateRange days = range == null ? null
                : new DateRange(LocalDate.parse(range.substring(0, 10)), LocalDate.parse(range.substring(12)));
        return new Shape(needed, granularity == null ? null : Granularity.valueOf(granularity), days);
    }

    static Shape everyProject(String dimensions, String granularity, String range) {
        return shape(dimensions, granularity, range).ofProjects(Shape.ALL_PROJECTS);
    }

    @ParameterizedTest(name = "one project: {0} by {1} over {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            -                      , -       , -                        , pypi_downloads_by_ci
            VERSION                , -       , -                        , pypi_downloads_by_version_by_ci
            -                      , DAY     , -                        , pypi_project_downloads_per_day
            -                      , WEEK    , -                        , pypi_project_downloads_per_day
            -                      , MONTH   , -                        , pypi_project_downloads_per_day
            -                      , QUARTER , -                        , pypi_project_downloads_per_day
            -                      , YEAR    , 2024-01-01..2025-12-31   , pypi_project_downloads_per_day
            -                      , MONTH   , 2026-01-01..2026-02-28   , pypi_project_downloads_per_day
            -                      , MONTH   , 2026-01-01..2026-02-15   , pypi_project_downloads_per_day
            -                      , -       , 2026-01-10..2026-01-10   , pypi_project_downloads_per_day
            CI                     , -       , -                        , pypi_downloads_by_ci
            CI                     , DAY     , -                        , pypi_project_downloads_per_day
            CI                     , YEAR    , -                        , pypi_project_downloads_per_day
            VERSION                , DAY     , -                        , pypi_downloads_per_day_by_version
            VERSION+CI             , MONTH   , -                        , pypi_downloads_per_day_by_version
            VERSION+CI             , -       , -                        , pypi_downloads_by_version_by_ci
            COUNTRY                , -       , -                        , pypi_downloads_by_country
            PYTHON_MINOR+CI        , -       , -                        , pypi_downloads_by_python
            SYSTEM                 , -       , -                        , pypi_downloads_by_system
            SYSTEM                 , -       , 2026-01-01..2026-01-31   , pypi_downloads_per_day_by_version_by_system
            COUNTRY+PYTHON_MINOR   , DAY     , -                        , pypi_downloads_per_day_by_version_by_python_by_country
            COUNTRY+SYSTEM+CI      , -       , -                        , pypi_downloads_per_day_by_version_by_system_by_country
            INSTALLER              , DAY     , -                        , pypi_downloads_per_day_by_installer
            INSTALLER+CI           , MONTH   , 2026-01-01..2026-03-31   , pypi_downloads_per_day_by_installer
            INSTALLER+FILE_TYPE    , -       , -                        , pypi_downloads_by_installer_by_type
            INSTALLER+COUNTRY      , -       , -                        , pypi_downloads_per_day_by_version_by_installer_by_type_by_country
            FILE_TYPE+VERSION      , WEEK    , -                        , pypi_downloads_per_day_by_version_by_file_type
            PYTHON_MINOR+SYSTEM    , -       , -                        , pypi
            INSTALLER+PYTHON_MINOR , DAY     , -                        , pypi
            """)
    void theCoveringTableReadingFewestRowsAnswersAProjectsQuestion(String dimensions, String granularity, String range, String table) {
        assertThat(CATALOG.choose(shape(dimensions, granularity, range)).name()).isEqualTo(table);
    }

    @ParameterizedTest(name = "every project: {0} by {1} over {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            -                      , -       , -                        , pypi_downloads
            -                      , -       , 2026-03-02..2026-03-31   , pypi_downloads_per_day
            CI                     , -       , 2026-03-02..2026-03-31   , pypi_downloads_per_day_by_ci
            CI                     , -       , 2026-02-20..2026-03-21   , pypi_downloads_per_day_by_ci
            VERSION                , -       , 2026-03-02..2026-03-31   , pypi_downloads_per_day_by_version
            CI                     , -       , -                        , pypi_downloads_by_ci
            """)
    void aQuestionOverEveryProjectReadsThePartitionsOfItsDays(String dimensions, String granularity, String range, String table) {
        assertThat(CATALOG.choose(everyProject(dimensions, granularity, range)).name()).isEqualTo(table);
    }

    @Test
    void theEstimateCountsTheTouchedPartitionsAndAGranulePerProjectInEach() {
        TableSpec yearly = CATALOG.table("pypi_project_downloads_per_day").orElseThrow();
        TableSpec monthly = CATALOG.table("pypi_downloads_per_day_by_ci").orElseThrow();
        Shape allTime = shape("CI", "DAY", null);
        Shape january = shape("CI", "DAY", "2026-01-01..2026-01-31");
        // 3 yearly partitions, 256-row granules; 36 monthly ones, 8192-row granules
        assertThat(CATALOG.estimatedRowsRead(yearly, allTime)).isEqualTo(3 * 256);
        assertThat(CATALOG.estimatedRowsRead(monthly, allTime)).isEqualTo(36 * 8192);
        assertThat(CATALOG.estimatedRowsRead(monthly, january)).isEqualTo(8192);
        assertThat(CATALOG.estimatedRowsRead(monthly, january.ofProjects(3))).isEqualTo(3 * 8192);
        // over every project: all rows of the touched partitions
        assertThat(CATALOG.estimatedRowsRead(monthly, january.ofProjects(Shape.ALL_PROJECTS))).isEqualTo(6_600_000 / 36);
        assertThat(CATALOG.estimatedRowsRead(yearly, january.ofProjects(Shape.ALL_PROJECTS))).isEqualTo(6_600_000 / 3);
        // many projects: a granule each per partition, never more than the rows
        assertThat(CATALOG.estimatedRowsRead(yearly, allTime.ofProjects(1000))).isEqualTo(1000 * 3 * 256);
        assertThat(CATALOG.estimatedRowsRead(yearly, allTime.ofProjects(10_000))).isEqualTo(6_600_000);
        // a share larger than the granule floor: half the projects of a table of few, large projects
        TableSpec wide = new TableSpec("wide", Set.of(), TimeKey.DAY, new Layout(true, 256, List.of(new Layout.Partition(null, null, 15_000_000))), false);
        assertThat(CATALOG.estimatedRowsRead(wide, allTime.ofProjects(7_500))).isEqualTo(7_500_000);
        // a table not sorted by project is read whole for one project
        assertThat(CATALOG.estimatedRowsRead(CATALOG.table("pypi_downloads_per_month").orElseThrow(), shape("CI", "MONTH", null)))
                .isEqualTo(900_000);
        assertThat(CATALOG.projects()).isEqualTo(15_000);
    }

    @Test
    void everyChosenTableReallyCoversItsShapeAndNoCheaperOneDoes() {
        for (int projects : new int[] {Shape.ALL_PROJECTS, 1, 40}) {
            for (Dimension a : Dimension.values()) {
                for (Granularity g : Granularity.values()) {
                    Shape shape = new Shape(Set.of(a), g, null, projects);
                    TableSpec chosen = CATALOG.choose(shape);
                    assertThat(chosen.dimensions()).contains(a);
                    assertThat(chosen.time().serves(g.needs())).isTrue();
                    long estimate = CATALOG.estimatedRowsRead(chosen, shape);
                    assertThat(CATALOG.aggregates()).filteredOn(t -> t.covers(shape))
                            .allSatisfy(t -> assertThat(CATALOG.estimatedRowsRead(t, shape)).isGreaterThanOrEqualTo(estimate));
                }
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
                .doesNotContain("pypi", "pypi_downloads_max_min", "projects").hasSize(22);
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

    /** The DDL of one table in sql/, as far as the fixture describes it. */
    record Ddl(List<String> columns, boolean projectFirst, long granule, int monthsPerPartition) {
    }

    /** Reads the CREATE TABLE statements of sql/ (one column a line, as the files are written) and the tables the views of pypi fill. */
    static Map<String, Ddl> tablesInSqlFiles(Set<String> filledFromPypi) throws IOException {
        Pattern table = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)\\s*\\((.*?)\\n\\)\\s*\\n(ENGINE[^;]*)", Pattern.DOTALL);
        Pattern view = Pattern.compile("CREATE MATERIALIZED VIEW IF NOT EXISTS \\w+ TO (\\w+) AS[\\s\\S]*\\bFROM pypi\\s*\\n");
        Map<String, Ddl> tables = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("sql"))) {
            files = listing.filter(file -> file.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file) + "\n";
            Matcher created = table.matcher(text);
            while (created.find()) {
                List<String> columns = created.group(2).lines().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("--"))
                        .map(line -> line.split("\\s+")[0]).toList();
                String engine = created.group(3);
                Matcher orderBy = Pattern.compile("ORDER BY \\(?(\\w+)").matcher(engine);
                Matcher granularity = Pattern.compile("index_granularity = (\\d+)").matcher(engine);
                int months = engine.contains("PARTITION BY toYYYYMM(") ? 1 : engine.contains("PARTITION BY toYear(") ? 12
                        : engine.contains("PARTITION BY") ? -1 : 0;
                tables.put(created.group(1), new Ddl(columns, orderBy.find() && orderBy.group(1).equals("project"),
                        granularity.find() ? Long.parseLong(granularity.group(1)) : 8192, months));
            }
            Matcher fills = view.matcher(text);
            if (fills.find()) {
                filledFromPypi.add(fills.group(1));
            }
            assertThat(text).as(file + " alters a table the fixture describes").doesNotContainPattern(
                    "(?i)ALTER TABLE (" + String.join("|", COLUMNS.keySet()) + ")\\b");
        }
        return tables;
    }

    @Test
    void theFixtureIsTheTablesOfSqlFiles() throws IOException {
        Set<String> filledFromPypi = new java.util.TreeSet<>();
        Map<String, Ddl> inSql = tablesInSqlFiles(filledFromPypi);
        assertThat(inSql).containsKeys("pypi", "pypi_downloads", "pypi_project_downloads_per_day");
        // Every table a view of pypi fills is in the fixture: a table missing here is one the planner could choose and these tests never offer.
        assertThat(COLUMNS.keySet()).containsAll(filledFromPypi);
        for (Map.Entry<String, List<String>> fixture : COLUMNS.entrySet()) {
            String name = fixture.getKey();
            Ddl ddl = inSql.get(name);
            assertThat(ddl).as("%s in sql/", name).isNotNull();
            if (name.equals("projects")) {   // metadata, not counts: the fixture names only a few of its columns
                assertThat(ddl.columns()).as(name).containsAll(fixture.getValue());
                continue;
            }
            assertThat(fixture.getValue()).as("columns of %s", name).isEqualTo(ddl.columns());
            Layout layout = LAYOUTS.get(name);
            assertThat(layout.projectFirst()).as("%s sorted by project first", name).isEqualTo(ddl.projectFirst());
            assertThat(layout.granule()).as("index_granularity of %s", name).isEqualTo(ddl.granule());
            Layout.Partition first = layout.partitions().getFirst();
            int months = first.from() == null ? 0
                    : (int) java.time.temporal.ChronoUnit.MONTHS.between(first.from(), first.to().plusDays(1));
            assertThat(months).as("months per partition of %s (0: not partitioned)", name).isEqualTo(ddl.monthsPerPartition());
        }
    }
}
