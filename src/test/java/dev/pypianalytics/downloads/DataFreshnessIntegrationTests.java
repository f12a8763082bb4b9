package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dataFreshness} health check on the suite's (old) demo data with thresholds around its real lag (from
 * the raw table), and the files pending in a followed folder, without a second application context: the service
 * and the indicator are built over the context's own beans.
 */
class DataFreshnessIntegrationTests extends IntegrationTest {

    @Autowired
    DataVersion version;

    @Autowired
    WarehouseStats stats;

    @Autowired
    @ApiReads
    ClickHouse api;

    @Autowired
    ClickHouse clickHouse;

    Health health(Duration warnAfter, Duration downAfter) {
        DataFreshness freshness = new DataFreshness(version, stats, api, false, null, new DataLag(null, warnAfter, downAfter),
                Clock.systemUTC());
        return new DataFreshnessHealthIndicator(stats, freshness).health().block();
    }

    @TempDir
    Path folder;

    @Test
    void filesPendingAreCandidatesInTheFollowedFolderWithoutARecordOfTheirCurrentState() throws Exception {
        Files.writeString(folder.resolve("2026-04-01.parquet"), "not read here");
        Files.writeString(folder.resolve("2026-04-02.jsonl"), "{}");
        Files.writeString(folder.resolve("2026-04-03.jsonl"), "{}");
        Files.writeString(folder.resolve("2026-04-04.parquet.tmp"), "being written");
        Files.writeString(folder.resolve(".hidden.parquet"), "hidden");
        Files.writeString(folder.resolve("empty.parquet"), "");
        // The follower handled 2026-04-01 as it is now, and 2026-04-02 when it had another size.
        record(folder.resolve("2026-04-01.parquet"), Files.size(folder.resolve("2026-04-01.parquet")));
        record(folder.resolve("2026-04-02.jsonl"), 1234);
        DataFreshness freshness = new DataFreshness(version, stats, api, false, folder.toAbsolutePath().normalize(),
                new DataLag(null, null, null), Clock.systemUTC());

        DataFreshness.Report report = freshness.report().block();

        assertThat(report.filesPending()).isEqualTo(2);
        assertThat(report.filesQuarantined()).isEqualTo((int) dev.pypianalytics.support.WarehouseTruth.count(clickHouse,
                "SELECT count() AS n FROM ingest_follow_files FINAL WHERE status = 'quarantined'"));
    }

    void record(Path file, long size) throws Exception {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_follow_files (source, size, modified, status, rows, reason, holder, updated_at)
                        SELECT {source:String}, {size:Int64}, fromUnixTimestamp64Milli({modified:Int64}, 'UTC'), 'loaded', 0, 'test', 'test', now64(3)""")
                .bind("source", file.toAbsolutePath().normalize().toString()).bind("size", size)
                .bind("modified", Files.getLastModifiedTime(file).toMillis())).block();
    }

    @Test
    void warnAndDownPastTheirThresholds() {
        String lastDay = clickHouse.queryOne(Sql.of("SELECT toString(max(date)) AS v FROM pypi"), row -> row.getString("v")).block();
        long lag = Instant.now().getEpochSecond() - LocalDate.parse(lastDay).plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        Duration under = Duration.ofSeconds(lag - 3600);
        Duration over = Duration.ofSeconds(lag + 3600);

        assertThat(health(null, null).getStatus()).isEqualTo(Status.UP);
        assertThat(health(over, null).getStatus()).isEqualTo(Status.UP);
        Health warn = health(under, over);
        assertThat(warn.getStatus()).isEqualTo(DataFreshnessHealthIndicator.WARN);
        assertThat(warn.getDetails()).containsEntry("lastDay", lastDay).containsEntry("warnAfterSeconds", under.toSeconds());
        assertThat((Long) warn.getDetails().get("lagSeconds")).isBetween(lag - 60, lag + 60);
        assertThat(health(under, under).getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(null, under).getStatus()).isEqualTo(Status.DOWN);
    }
}
