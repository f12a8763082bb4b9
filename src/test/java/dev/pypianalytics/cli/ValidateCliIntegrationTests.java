package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code validate}: the same files through the loader into a shadow database, compared with the live warehouse. */
class ValidateCliIntegrationTests extends IntegrationTest {

    static final String DAYS = "date BETWEEN '2014-10-01' AND '2014-10-02'";

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    CliRun cli(String... args) {
        return CliRun.of(args);
    }

    /** Rows per day and project over the test's days, as text (to compare two tables). */
    List<String> perDayAndProject(String table) {
        return clickHouse.query(Sql.of("SELECT concat(toString(date), ' ', project, ' ', toString(count())) AS r FROM " + table
                + " WHERE " + DAYS + " GROUP BY date, project ORDER BY date, project"), row -> row.getString("r")).collectList().block();
    }

    /** A count as printed (thousands separated). */
    static String n(long count) {
        return String.format(java.util.Locale.ROOT, "%,d", count);
    }

    @Test
    void validateIsQuietWhenTheLiveWarehouseHoldsWhatTheFilesHoldAndPrintsADoctoredDay() {
        Path file = ExportFiles.write(clickHouse, ExportFiles.select("it-validate-", "2014-10-01", 3000), "Parquet",
                dir.resolve("2014-10-01.parquet"));
        CliRun loaded = cli("ingest", file.toString());
        assertThat(loaded.code()).as(loaded.err()).isZero();

        CliRun equal = cli("validate", "--shadow", "it_shadow", file.toString());
        assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
        assertThat(equal.out()).contains("Compared 2 day(s), 2014-10-01..2014-10-02").contains("No differences");
        assertThat(perDayAndProject("it_shadow.pypi")).isNotEmpty().isEqualTo(perDayAndProject("pypi"));

        // Doctor the live day: one project's downloads lost from pypi (its aggregates still count them).
        long shadowRows = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '2014-10-02' AND project = 'it-validate-3'");
        assertThat(shadowRows).isPositive();
        clickHouse.execute(Sql.of("DELETE FROM pypi WHERE date = '2014-10-02' AND project = 'it-validate-3'")).block();
        long liveRows = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '2014-10-02' AND project = 'it-validate-3'");
        long liveDay = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '2014-10-02'");
        long liveAggregateDay = WarehouseTruth.count(clickHouse,
                "SELECT sum(count) AS n FROM pypi_project_downloads_per_day WHERE date = '2014-10-02'");

        try {
            CliRun different = cli("validate", "--shadow", "it_shadow", file.toString());
            assertThat(different.code()).as(different.out() + different.err()).isEqualTo(3);
            assertThat(different.out())
                    .containsPattern("(?m)^2014-10-02\\s+" + n(liveDay) + "\\s+" + n(liveAggregateDay) + "\\s+" + n(liveAggregateDay) + "$")
                    .containsPattern("(?m)^2014-10-02\\s+it-validate-3\\s+" + n(liveRows) + "\\s+" + n(shadowRows) + "\\s+" + n(shadowRows) + "$")
                    .contains("1 difference(s) over 1 day(s)")
                    .doesNotContain("2014-10-01  ");
        } finally {
            // Undo the doctoring: the shared warehouse's aggregates must agree with pypi for the tests after this one.
            CliRun repaired = cli("repair-day", "--date", "2014-10-02", file.toString());
            assertThat(repaired.code()).as(repaired.out() + repaired.err()).isZero();
        }
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-validate-", 2014)).isEmpty();
    }

    @Test
    void aShadowNameThatIsNotAPlainIdentifierIsWrongUsage() {
        CliRun run = cli("validate", "--shadow", "x; DROP DATABASE pypi", dir.resolve("a.parquet").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--shadow must be a database name");
    }
}
