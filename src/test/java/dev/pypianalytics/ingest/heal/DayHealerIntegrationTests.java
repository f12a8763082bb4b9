package dev.pypianalytics.ingest.heal;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Source;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-healing on the suite's warehouse: a day goes short behind the loader's back; the heal step (called
 * directly, as the schedule would) finds it from the ledger, repairs it when repairing is on or only reports it
 * when it is off, and Stats.repairs shows what it did. Each test has its own days and projects.
 */
class DayHealerIntegrationTests extends IntegrationTest {

    static final Progress QUIET = Progress.to(new PrintStream(OutputStream.nullOutputStream()), false);

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @TempDir
    Path dir;

    /** Loads a file of two days starting {@code day} (projects {@code prefix}0..4) through the loader. */
    Path load(String name, String prefix, LocalDate day) {
        Path file = ExportFiles.write(clickHouse, ExportFiles.select(prefix, day.toString(), 3000), "Parquet", dir.resolve(name));
        new Ingest(clickHouse).load(Source.expand(List.of(file.toString()), null).getFirst(), QUIET);
        return file;
    }

    long count(String where) {
        return WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE " + where);
    }

    /** Rows lost from pypi only (the aggregates still count them), as after a botched manual fix. */
    long loseRows(LocalDate day, String project) {
        long before = count("date = '" + day + "'");
        clickHouse.execute(Sql.of("DELETE FROM pypi WHERE date = {day:Date} AND project = {project:String}").bind("day", day).bind("project", project))
                .block();
        long after = count("date = '" + day + "'");
        assertThat(after).isLessThan(before);
        return before;
    }

    @Test
    void aShortDayIsFoundAndRepairedByTheHealStepAndShownInTheApi() {
        LocalDate first = LocalDate.parse("2014-08-01");
        LocalDate second = first.plusDays(1);
        load("2014-08-01.parquet", "it-heal-", first);
        long firstDayRows = loseRows(first, "it-heal-2");
        long shortBy = firstDayRows - count("date = '" + first + "'");
        long secondDayRows = count("date = '" + second + "'");

        List<DayHealer.Healed> healed = new DayHealer(clickHouse, true, QUIET).heal(first, second);

        assertThat(healed).hasSize(1);
        DayHealer.Healed day = healed.getFirst();
        assertThat(day.date()).isEqualTo(first);
        assertThat(day.found()).isEqualTo("short");
        assertThat(day.action()).isEqualTo(DayHealer.Action.REPAIRED);
        assertThat(day.expected()).isEqualTo(firstDayRows);
        assertThat(day.recorded()).isEqualTo(firstDayRows - shortBy);
        assertThat(count("date = '" + first + "'")).isEqualTo(firstDayRows);
        assertThat(count("date = '" + second + "'")).isEqualTo(secondDayRows);
        assertThat(day.rowsAfter()).isEqualTo(firstDayRows);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-heal-", 2014)).isEmpty();

        var stats = graphQl.document("{ stats { gaps { date } repairs { date found expected recorded action source rowsAfter outcome at } } }")
                .execute();
        String entry = "stats.repairs[?(@.date == '" + first + "')]";
        stats.path(entry + ".action").entityList(String.class).containsExactly("REPAIRED")
                .path(entry + ".found").entityList(String.class).containsExactly("SHORT")
                .path(entry + ".expected").entityList(Long.class).containsExactly(firstDayRows)
                .path(entry + ".recorded").entityList(Long.class).containsExactly(firstDayRows - shortBy)
                .path(entry + ".rowsAfter").entityList(Long.class).containsExactly(firstDayRows)
                // The file by name: the API never shows the server's paths.
                .path(entry + ".source").entityList(String.class).containsExactly("2014-08-01.parquet")
                .path(entry + ".outcome").entityList(String.class).satisfies(outcomes ->
                        assertThat(outcomes.getFirst()).contains("Repaired from 2014-08-01.parquet").doesNotContain(dir.toString()))
                .path(entry + ".at").entityList(String.class).hasSize(1)
                .path("stats.gaps[*].date").entityList(String.class).doesNotContain(first.toString());
    }

    @Test
    void withRepairingOffAShortDayIsReportedAndLeftAsItIs() {
        LocalDate first = LocalDate.parse("2014-08-11");
        LocalDate second = first.plusDays(1);
        Path file = load("2014-08-11.parquet", "it-heal-off-", first);
        long secondDayRows = loseRows(second, "it-heal-off-4");
        try {
            long left = count("date = '" + second + "'");
            // Asked before the check: an answer the caches keep must not outlive what the check records (no data changes).
            graphQl.document("{ stats { gaps { date status } repairs { date found action rowsAfter outcome } } }").execute()
                    .path("stats.repairs[?(@.date == '" + second + "')]").entityList(Object.class).hasSize(0);

            List<DayHealer.Healed> healed = new DayHealer(clickHouse, false, QUIET).heal(first, second);

            assertThat(healed).extracting(DayHealer.Healed::date).containsExactly(second);
            assertThat(healed.getFirst().action()).isEqualTo(DayHealer.Action.REPORTED);
            assertThat(healed.getFirst().expected()).isEqualTo(secondDayRows);
            assertThat(count("date = '" + second + "'")).isEqualTo(left);

            String entry = "stats.repairs[?(@.date == '" + second + "')]";
            graphQl.document("{ stats { gaps { date status } repairs { date found action rowsAfter outcome } } }").execute()
                    .path(entry + ".action").entityList(String.class).containsExactly("REPORTED")
                    .path(entry + ".found").entityList(String.class).containsExactly("SHORT")
                    .path(entry + ".rowsAfter").entityList(Long.class).satisfies(after -> assertThat(after).containsExactly((Long) null))
                    .path(entry + ".outcome").entityList(String.class).satisfies(outcomes -> assertThat(outcomes.getFirst())
                            .contains("pypi.heal.repair is off").contains("repair-day --date " + second + " 2014-08-11.parquet"))
                    .path("stats.gaps[?(@.date == '" + second + "')].status").entityList(String.class).containsExactly("SHORT");
        } finally {
            // Put the day back: the shared warehouse's aggregates must agree with pypi for the tests after this one.
            new dev.pypianalytics.ingest.RepairDay(clickHouse).repair(second, Source.expand(List.of(file.toString()), null), QUIET);
        }
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-heal-off-", 2014)).isEmpty();
    }

    @Test
    void theScheduledStepSkipsWhileAnotherInstanceHoldsTheFollowLease() {
        var settings = context.getBean(dev.pypianalytics.config.FollowProperties.class);
        HealInGateway gateway = new HealInGateway(new dev.pypianalytics.config.HealProperties(true, true, 7, Duration.ofHours(1),
                Duration.ofHours(1)), context.getBean(dev.pypianalytics.config.WarehouseProperties.class), settings,
                context.getBean(dev.pypianalytics.ingest.follow.FollowInGateway.class), clickHouse,
                context.getBean(dev.pypianalytics.clickhouse.WarehouseSchema.class));
        var other = new dev.pypianalytics.clickhouse.Lease(clickHouse, dev.pypianalytics.clickhouse.Lease.FOLLOW,
                Duration.ofMinutes(1), settings.leaseSettle());
        long logged = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_heal_log");
        assertThat(other.acquireOrRenew()).isTrue();
        try {
            assertThat(gateway.healOnce()).isEmpty();
        } finally {
            other.release();
        }
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_heal_log")).isEqualTo(logged);
    }
}
