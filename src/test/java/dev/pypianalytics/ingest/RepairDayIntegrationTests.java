package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A day goes wrong in pypi and its aggregates; reconcile finds it, repair-day puts it right. */
class RepairDayIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    Path file;
    LocalDate FIRST;
    LocalDate SECOND;

    /** Loads two days of downloads (each test its own days, so tests do not see each other's repairs). */
    void loadTwoDays(String first) {
        FIRST = LocalDate.parse(first);
        SECOND = FIRST.plusDays(1);
        file = dir.resolve("repair.parquet");
        ExportFiles.write(clickHouse, ExportFiles.select("it-repair-", first, 4000), "Parquet", file);
        new Ingest(clickHouse).load(source(), IngestIntegrationTests.QUIET);
    }

    Source source() {
        return Source.expand(List.of(file.toString()), null).getFirst();
    }

    long pypiRows(LocalDate day) {
        return WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '" + day + "'");
    }

    Reconcile.Row row(List<Reconcile.Row> rows, LocalDate day) {
        return rows.stream().filter(row -> row.date().equals(day)).findFirst().orElseThrow();
    }

    @Test
    void reconcileFindsAShortDayAndRepairDayMakesEveryAggregateAgreeWithPypi() {
        loadTwoDays("2019-09-01");
        long firstDayRows = pypiRows(FIRST);
        assertThat(firstDayRows).isPositive();
        // Rows lost from pypi only: the aggregates still count them, as after a botched manual fix.
        clickHouse.execute(Sql.of("DELETE FROM pypi WHERE date = {day:Date} AND project = 'it-repair-1'").bind("day", FIRST)).block();
        assertThat(WarehouseTruth.mismatches(clickHouse)).isNotEmpty();

        List<Reconcile.Row> before = new Reconcile(clickHouse).run(List.of(source()), null, null, null, IngestIntegrationTests.QUIET);
        assertThat(before).extracting(Reconcile.Row::date).containsExactly(FIRST, SECOND);
        assertThat(row(before, FIRST).status()).isEqualTo("short");
        assertThat(row(before, FIRST).expected()).isEqualTo(firstDayRows);
        assertThat(row(before, FIRST).aggregate()).isNotEqualTo(row(before, FIRST).pypi());
        assertThat(row(before, SECOND).status()).isEqualTo("complete");

        RepairDay.Outcome outcome = new RepairDay(clickHouse).repair(FIRST, List.of(source()), IngestIntegrationTests.QUIET);

        assertThat(outcome.rowsAfter()).isEqualTo(firstDayRows);
        assertThat(pypiRows(FIRST)).isEqualTo(firstDayRows);
        assertThat(outcome.rebuilt()).contains("pypi_downloads", "pypi_downloads_by_version", "pypi_downloads_max_min",
                "pypi_downloads_per_month");
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
        List<Reconcile.Row> after = new Reconcile(clickHouse).run(List.of(source()), null, null, null, IngestIntegrationTests.QUIET);
        assertThat(after).allSatisfy(row -> {
            assertThat(row.status()).isEqualTo("complete");
            assertThat(row.aggregate()).isEqualTo(row.pypi());
        });
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi_freshness FINAL WHERE date = '" + FIRST
                + "' AND status = 'complete'")).isEqualTo(1);
    }

    @Test
    void aDayMissingFromPypiIsFoundFromTheLedgerAndRepaired() {
        loadTwoDays("2019-09-10");
        long secondDayRows = pypiRows(SECOND);
        clickHouse.execute(Sql.of("DELETE FROM pypi WHERE date = {day:Date}").bind("day", SECOND)).block();

        List<Reconcile.Row> rows = new Reconcile(clickHouse).run(List.of(), null, FIRST, SECOND, IngestIntegrationTests.QUIET);
        assertThat(row(rows, SECOND).status()).isEqualTo("missing");
        assertThat(row(rows, SECOND).expected()).isEqualTo(secondDayRows);
        assertThat(row(rows, FIRST).status()).isEqualTo("complete");

        new RepairDay(clickHouse).repair(SECOND, List.of(source()), IngestIntegrationTests.QUIET);

        assertThat(pypiRows(SECOND)).isEqualTo(secondDayRows);
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
        assertThat(new Reconcile(clickHouse).run(List.of(), null, FIRST, SECOND, IngestIntegrationTests.QUIET))
                .extracting(Reconcile.Row::status).containsOnly("complete");
    }

    /** The earliest days of the warehouse: without a source, the range to check must come from the ledger, not from pypi. */
    @Test
    void aVanishedFirstDayIsCheckedByReconcileWithoutASource() {
        loadTwoDays("2000-01-01");
        long firstDayRows = pypiRows(FIRST);
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date < '" + FIRST + "'")).isZero();
        clickHouse.execute(Sql.of("DELETE FROM pypi WHERE date = {day:Date}").bind("day", FIRST)).block();
        try {
            List<Reconcile.Row> rows = new Reconcile(clickHouse).run(List.of(), null, null, SECOND, IngestIntegrationTests.QUIET);

            assertThat(rows).extracting(Reconcile.Row::date).containsExactly(FIRST, SECOND);
            assertThat(row(rows, FIRST).status()).isEqualTo("missing");
            assertThat(row(rows, FIRST).expected()).isEqualTo(firstDayRows);
        } finally {
            new RepairDay(clickHouse).repair(FIRST, List.of(source()), IngestIntegrationTests.QUIET);
        }
        assertThat(pypiRows(FIRST)).isEqualTo(firstDayRows);
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
    }

    @Test
    void aRepairFromABadSourceChangesNothing() {
        loadTwoDays("2019-09-20");
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        assertThatThrownBy(() -> new RepairDay(clickHouse).repair(FIRST,
                Source.expand(List.of(dir.resolve("absent.parquet").toString()), null), IngestIntegrationTests.QUIET))
                .isInstanceOf(IngestException.class).hasMessageContaining("No such file");
        assertThatThrownBy(() -> new RepairDay(clickHouse).repair(FIRST.minusDays(30), List.of(source()), IngestIntegrationTests.QUIET))
                .isInstanceOf(IngestException.class).hasMessageContaining("has no downloads on");

        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
    }
}
