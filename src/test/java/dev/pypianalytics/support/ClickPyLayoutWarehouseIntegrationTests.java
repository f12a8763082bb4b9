package dev.pypianalytics.support;

import dev.pypianalytics.support.ClickPyLayoutWarehouse.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClickPy-layout warehouse is faithful: its user behaves like ClickPy's public one (silent cuts past
 * 1000 rows, read-only, no {@code system.parts}), and its aggregates hold what ClickPy's views put there,
 * defects included. The facts a planner on such a warehouse must respect are the assertions here.
 */
class ClickPyLayoutWarehouseIntegrationTests {

    static ClickPyLayoutWarehouse warehouse;

    @BeforeAll
    static void warehouse() {
        warehouse = ClickPyLayoutWarehouse.get();
    }

    @Test
    void aResultPastTheRowLimitIsCutSilentlyAtABlockBoundary() {
        Answer big = warehouse.queryAsUser("SELECT number FROM numbers(100000)");

        assertThat(big.status()).isEqualTo(200);
        assertThat(big.exceptionCode()).isNull();
        assertThat(big.rows()).as("rows of a 100,000-row answer").hasSizeLessThan(100_000).hasSizeGreaterThan(1000);
        assertThat(warehouse.queryAsUser("SELECT number FROM numbers(999)").rows()).hasSize(999);
        assertThat(warehouse.rowsAsAdmin("SELECT number FROM numbers(100000)")).as("the administrator has no such limit").hasSize(100_000);
    }

    @Test
    void aLongAnswerOnTheWarehouseIsCutToo() {
        String allDailyRowsOfTheBigProject = "SELECT date, version, count FROM pypi_downloads_per_day_by_version WHERE project = '"
                + ClickPyLayoutWarehouse.BIG_PROJECT + "' ORDER BY date, version";
        long whole = warehouse.longAsAdmin("SELECT count() FROM (" + allDailyRowsOfTheBigProject + ")");

        Answer answer = warehouse.queryAsUser(allDailyRowsOfTheBigProject);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.exceptionCode()).isNull();
        assertThat(whole).isGreaterThan(100_000);
        assertThat(answer.rows()).hasSizeLessThan((int) whole);
    }

    @Test
    void aGroupedAnswerIsCutSilentlyAnywherePastTheLimit() {
        // Cut neither at 1000 rows nor at a 65,409-row block: at whatever block of the aggregation's output
        // crossed the limit (1,089 rows of about 150,000 when first seen).
        String perDayAndVersion = "SELECT date, version, sum(count) FROM pypi_downloads_per_day_by_version WHERE project = '"
                + ClickPyLayoutWarehouse.BIG_PROJECT + "' GROUP BY date, version";
        long whole = warehouse.longAsAdmin("SELECT count() FROM (" + perDayAndVersion + ")");

        Answer answer = warehouse.queryAsUser(perDayAndVersion);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.exceptionCode()).isNull();
        assertThat(answer.rows()).hasSizeGreaterThanOrEqualTo(1000).hasSizeLessThan((int) whole);
    }

    @Test
    void anAnswerOfOneBlockPastTheRowLimitComesBackWhole() {
        // 1,100 days of the big project: one block, and 'break' only stops between blocks. So a result of
        // more than 1000 rows is not proof of a cut, nor one of at most 1000 rows proof of none.
        String perDay = "SELECT date, sum(count) FROM pypi_downloads_per_day WHERE project = '"
                + ClickPyLayoutWarehouse.BIG_PROJECT + "' GROUP BY date ORDER BY date";

        assertThat(warehouse.queryAsUser(perDay).rows()).hasSize(1_100);
        assertThat(warehouse.rowsAsAdmin(perDay)).hasSize(1_100);
    }

    @Test
    void systemPartsIsRefusedToTheUser() {
        Answer parts = warehouse.queryAsUser("SELECT count() FROM system.parts WHERE database = 'pypi'");

        assertThat(parts.status()).isEqualTo(500);
        assertThat(parts.exceptionCode()).isEqualTo("497");
        assertThat(parts.body()).contains("ACCESS_DENIED").contains("system.parts");
        assertThat(warehouse.longAsAdmin("SELECT count() FROM system.parts WHERE database = 'pypi' AND active"))
                .as("the administrator sees the parts").isPositive();
    }

    @Test
    void theUserCanReadTableSizesFromSystemTablesInstead() {
        // What a planner may estimate from without system.parts: system.tables shows the user the tables it
        // may read, with their row and byte counts, and nothing of other databases.
        String sizes = "SELECT name, total_rows, total_bytes FROM system.tables WHERE database = 'pypi' AND total_rows IS NOT NULL ORDER BY name";
        Answer answer = warehouse.queryAsUser(sizes);

        assertThat(answer.exceptionCode()).isNull();
        assertThat(answer.rows()).hasSize(17).isEqualTo(warehouse.rowsAsAdmin(sizes));
        assertThat(answer.rows()).filteredOn(row -> row.getFirst().equals("pypi")).singleElement()
                .satisfies(row -> assertThat(row.get(1)).isEqualTo("240000"));
        assertThat(warehouse.queryAsUser("SELECT count() FROM system.tables WHERE database != 'pypi'").body().strip()).isEqualTo("0");
        assertThat(warehouse.queryAsUser("SELECT count() FROM system.dictionaries").exceptionCode()).isEqualTo("497");
        assertThat(warehouse.queryAsUser("SELECT count() FROM system.query_log").exceptionCode()).isEqualTo("497");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            INSERT INTO pypi.pypi (project) VALUES ('x')                         | 497 | ACCESS_DENIED
            CREATE TABLE pypi.mine (n Int64) ENGINE = Memory                     | 497 | ACCESS_DENIED
            CREATE TEMPORARY TABLE mine (n Int64)                                | 497 | ACCESS_DENIED
            OPTIMIZE TABLE pypi.pypi_downloads FINAL                             | 497 | ACCESS_DENIED
            SET max_result_rows = 5000                                           | 164 | READONLY
            SELECT count() FROM pypi.pypi_downloads SETTINGS max_threads = 1     | 164 | READONLY
            """)
    void writesAndSettingChangesAreRefused(String statement, String code, String name) {
        Answer answer = warehouse.queryAsUser(statement);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.exceptionCode()).isEqualTo(code);
        assertThat(answer.body()).contains("(" + name + ")");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"max_result_rows, 5000", "max_execution_time, 10", "max_threads, 1", "result_overflow_mode, throw",
            "output_format_json_quote_64bit_integers, 1"})
    void aSettingInTheUrlIsRefusedToo(String setting, String value) {
        Answer answer = warehouse.queryAsUser("SELECT 1", Map.of(setting, value));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.exceptionCode()).isEqualTo("164");
        assertThat(answer.body()).contains("Cannot modify '" + setting + "' setting in readonly mode").contains("(READONLY)");
    }

    @Test
    void whatTheUrlMayCarry() {
        // Not settings (database, query_id, parameters), a setting at its current value, and the one ClickPy
        // lets its user change (enable_http_compression CHANGEABLE_IN_READONLY).
        assertThat(warehouse.queryAsUser("SELECT {n:UInt8}", Map.of("param_n", "7", "query_id", "fixture-probe-1")).body().strip())
                .isEqualTo("7");
        assertThat(warehouse.queryAsUser("SELECT 1", Map.of("max_result_rows", "1000", "readonly", "1")).body().strip()).isEqualTo("1");
        assertThat(warehouse.queryAsUser("SELECT 1", Map.of("enable_http_compression", "0")).body().strip()).isEqualTo("1");
    }

    @Test
    void dictionariesAnswerTheUser() {
        LocalDate lastDay = warehouse.lastDay();
        Answer answer = warehouse.queryAsUser("SELECT dictGet('pypi.countries_dict', 'name', tuple('DE')), "
                + "dictGet('pypi.last_updated_dict', 'last_update', tuple('numpy'))");

        assertThat(answer.exceptionCode()).isNull();
        // numpy's highest version (1.11) is uploaded last, at midnight of the last day.
        assertThat(answer.rows()).containsExactly(List.of("Germany", lastDay + " 00:00:00.000"));
    }

    @Test
    void theWarehouseHasWhatTheAttachedTestsNeed() {
        String big = ClickPyLayoutWarehouse.BIG_PROJECT;
        assertThat(warehouse.longAsAdmin("SELECT count() FROM pypi.pypi")).isBetween(100_000L, 300_000L);
        assertThat(warehouse.longAsAdmin("SELECT uniqExact(version) FROM pypi.pypi WHERE project = '" + big + "'")).isGreaterThan(1000);
        assertThat(warehouse.longAsAdmin("SELECT uniqExact(date) FROM pypi.pypi WHERE project = '" + big + "'")).isGreaterThan(1000);
        assertThat(warehouse.rowsAsAdmin("SELECT min(date), max(date) FROM pypi.pypi"))
                .containsExactly(List.of(warehouse.firstDay().toString(), warehouse.lastDay().toString()));
        assertThat(warehouse.firstDay()).isBefore(warehouse.lastDay().minusYears(2));
        assertThat(warehouse.rowsAsAdmin("SELECT project, count() FROM pypi.pypi GROUP BY project ORDER BY project"))
                .containsExactly(List.of("boto3", "150000"), List.of("clickhouse-connect", "5000"), List.of("numpy", "24000"),
                        List.of("requests", "60000"), List.of("tiny-tool", "1000"));
        for (String column : List.of("country_code", "installer", "system", "python_minor")) {
            assertThat(warehouse.longAsAdmin("SELECT countIf(" + column + " = '') FROM pypi.pypi")).as("unknown %s", column).isPositive();
        }
        assertThat(warehouse.rowsAsAdmin("SELECT DISTINCT type FROM pypi.pypi ORDER BY type"))
                .containsExactly(List.of("bdist_egg"), List.of("bdist_wheel"), List.of("sdist"));
        assertThat(warehouse.longAsAdmin("SELECT uniqExact(name) FROM pypi.projects")).isEqualTo(5);
        assertThat(warehouse.longAsAdmin("SELECT uniqExact(month) FROM pypi.pypi_downloads_per_month")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theTablesHaveClickPysEnginesAndSortingKeys() {
        // As ClickPy's ClickHouse.md documents them (the installer_by_type key without `type` included).
        assertThat(warehouse.rowsAsAdmin("SELECT name, engine, sorting_key FROM system.tables WHERE database = 'pypi' "
                + "AND engine NOT IN ('MaterializedView', 'Dictionary') ORDER BY name"))
                .containsExactly(
                        List.of("countries", "MergeTree", "code"),
                        List.of("projects", "MergeTree", "name"),
                        List.of("pypi", "MergeTree", "project, date, version, country_code, python_minor, system"),
                        List.of("pypi_downloads", "SummingMergeTree", "project"),
                        List.of("pypi_downloads_by_version", "SummingMergeTree", "project, version"),
                        List.of("pypi_downloads_max_min", "AggregatingMergeTree", "project"),
                        List.of("pypi_downloads_per_day", "SummingMergeTree", "project, date"),
                        List.of("pypi_downloads_per_day_by_version", "SummingMergeTree", "project, version, date"),
                        List.of("pypi_downloads_per_day_by_version_by_country", "SummingMergeTree", "project, version, date, country_code"),
                        List.of("pypi_downloads_per_day_by_version_by_file_type", "SummingMergeTree", "project, version, date, type"),
                        List.of("pypi_downloads_per_day_by_version_by_installer_by_type", "SummingMergeTree", "project, version, date, installer"),
                        List.of("pypi_downloads_per_day_by_version_by_installer_by_type_by_country", "SummingMergeTree",
                                "project, version, date, country_code, installer, type"),
                        List.of("pypi_downloads_per_day_by_version_by_python", "SummingMergeTree", "project, version, date, python_minor"),
                        List.of("pypi_downloads_per_day_by_version_by_python_by_country", "SummingMergeTree",
                                "project, version, date, country_code, python_minor"),
                        List.of("pypi_downloads_per_day_by_version_by_system", "SummingMergeTree", "project, version, date, system"),
                        List.of("pypi_downloads_per_day_by_version_by_system_by_country", "SummingMergeTree",
                                "project, version, date, country_code, system"),
                        List.of("pypi_downloads_per_month", "SummingMergeTree", "month, project"));
        assertThat(warehouse.rowsAsAdmin("SELECT name FROM system.tables WHERE database = 'pypi' AND engine = 'MaterializedView' ORDER BY name"))
                .hasSize(14).allSatisfy(view -> assertThat(view.getFirst()).endsWith("_mv"));
        assertThat(warehouse.rowsAsAdmin("SELECT name FROM system.dictionaries WHERE database = 'pypi' ORDER BY name"))
                .containsExactly(List.of("countries_dict"), List.of("last_updated_dict"));
        assertThat(warehouse.rowsAsAdmin("SELECT name FROM system.columns WHERE database = 'pypi' AND table = 'pypi' ORDER BY position"))
                .as("no ci, filename or libc")
                .containsExactly(List.of("date"), List.of("country_code"), List.of("project"), List.of("type"), List.of("installer"),
                        List.of("python_minor"), List.of("system"), List.of("version"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pypi_downloads                                                    | project
            pypi_downloads_by_version                                         | project, version
            pypi_downloads_per_day                                            | project, date
            pypi_downloads_per_day_by_version                                 | project, version, date
            pypi_downloads_per_day_by_version_by_country                      | project, version, date, country_code
            pypi_downloads_per_day_by_version_by_file_type                    | project, version, date, type
            pypi_downloads_per_day_by_version_by_python                       | project, version, date, python_minor
            pypi_downloads_per_day_by_version_by_system                       | project, version, date, system
            pypi_downloads_per_day_by_version_by_installer_by_type            | project, version, date, installer
            pypi_downloads_per_day_by_version_by_installer_by_type_by_country | project, version, date, installer, type, country_code
            pypi_downloads_per_day_by_version_by_python_by_country            | project, version, date, python_minor, country_code
            pypi_downloads_per_day_by_version_by_system_by_country            | project, version, date, system, country_code
            """)
    void anAggregateEqualsTheSameAggregationOverTheRawTable(String table, String keys) {
        assertThat(differingRows("SELECT " + keys + ", toInt64(sum(count)) FROM pypi." + table + " GROUP BY " + keys,
                "SELECT " + keys + ", toInt64(count()) FROM pypi.pypi GROUP BY " + keys)).isZero();
    }

    @Test
    void theFirstAndLastDayPerProjectEqualTheRawTable() {
        assertThat(differingRows("SELECT project, max(max_date), min(min_date) FROM pypi.pypi_downloads_max_min GROUP BY project",
                "SELECT project, max(date), min(date) FROM pypi.pypi GROUP BY project")).isZero();
    }

    @Test
    void theInstallerByTypeTableLosesTypesInMerges() {
        // ClickPy's sorting key lacks `type`: merging adds rows that differ only in type into one of them.
        warehouse.queryAsAdmin("OPTIMIZE TABLE pypi.pypi_downloads_per_day_by_version_by_installer_by_type FINAL");
        String byType = "project, version, date, installer, type";

        assertThat(differingRows("SELECT " + byType + ", toInt64(sum(count)) FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type GROUP BY " + byType,
                "SELECT " + byType + ", toInt64(count()) FROM pypi.pypi GROUP BY " + byType))
                .as("rows by installer and type that differ from the raw table").isPositive();
        assertThat(warehouse.longAsAdmin("SELECT count() FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type"))
                .as("one row per (project, version, date, installer) after the merge")
                .isEqualTo(warehouse.longAsAdmin("SELECT count() FROM (SELECT DISTINCT project, version, date, installer FROM pypi.pypi)"));
        // Counts by type alone are wrong too, e.g. per project.
        assertThat(differingRows("SELECT project, type, toInt64(sum(count)) FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type GROUP BY project, type",
                "SELECT project, type, toInt64(count()) FROM pypi.pypi GROUP BY project, type")).isPositive();
    }

    @Test
    void thePerMonthTableHoldsOnlyDaysAfterTheStartOfTheMonthSixMonthsBack() {
        // The view keeps date > toStartOfMonth(now()) - 6 months, evaluated when the rows were inserted (today).
        LocalDate windowStart = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(6);
        String perMonth = "SELECT month, project, toInt64(sum(count)) FROM pypi.pypi_downloads_per_month GROUP BY month, project";

        assertThat(differingRows(perMonth, "SELECT toStartOfMonth(date) AS month, project, toInt64(count()) FROM pypi.pypi "
                + "WHERE date > '" + windowStart + "' GROUP BY month, project")).isZero();
        assertThat(warehouse.queryAsAdmin("SELECT min(month) FROM pypi.pypi_downloads_per_month").strip()).isEqualTo(windowStart.toString());
        assertThat(warehouse.longAsAdmin("SELECT sum(count) FROM pypi.pypi_downloads_per_month WHERE month = '" + windowStart + "'"))
                .as("the oldest month lacks its first day")
                .isLessThan(warehouse.longAsAdmin("SELECT count() FROM pypi.pypi WHERE toStartOfMonth(date) = '" + windowStart + "'"));
        assertThat(warehouse.longAsAdmin("SELECT count() FROM pypi.pypi WHERE date < '" + windowStart + "'"))
                .as("older downloads exist and are not in the table").isPositive();
    }

    /** Rows in either answer and not in the other (both as the administrator). */
    private static long differingRows(String actual, String expected) {
        return warehouse.longAsAdmin("SELECT count() FROM ((" + actual + ") EXCEPT (" + expected + "))")
                + warehouse.longAsAdmin("SELECT count() FROM ((" + expected + ") EXCEPT (" + actual + "))");
    }
}
