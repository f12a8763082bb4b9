package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.PypiGatewayApplication;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.downloads.WarehouseStats;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.TestWarehouse;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A component dying in the middle of a follower's load, for real: the gateway (its own context, engine and data
 * directory, following a folder) is publishing a file of {@value #ROWS} rows when (1) the engine's child process is
 * killed with SIGKILL, or (2) the gateway itself is shut down. The moment is picked from the ledger and
 * {@code system.processes} (the INSERT into pypi_raw is running), not from a timer. Afterwards the file counts
 * exactly once and every aggregate equals a recomputation from pypi. The two tests run in order on one context
 * (the second closes it and starts the next one on the same data directory).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineDeathDuringLoadIntegrationTests {

    static final int ROWS = 500_000;

    static Path dataDir;
    static Path folder;
    static Path outbox;
    static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void start() throws IOException {
        assumeFalse(TestWarehouse.testcontainers(), "kills the embedded engine's process");
        dataDir = TestWarehouse.newDirectory("engine-death");
        folder = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-exports"));
        outbox = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-outbox"));
        gateway = gateway();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static ConfigurableApplicationContext gateway() {
        return new SpringApplicationBuilder(PypiGatewayApplication.class)
                .web(WebApplicationType.REACTIVE)
                // As arguments: SpringApplicationBuilder.properties() are defaults, which application.yml overrides.
                .run("--server.port=0",
                        "--pypi.clickhouse.url=",
                        "--pypi.embedded.data-dir=" + dataDir,
                        "--pypi.embedded.restart-backoff=200ms",
                        "--pypi.embedded.restart-backoff-max=2s",
                        "--pypi.demo.load-when-empty=NEVER",
                        "--pypi.demo.live=false",
                        "--pypi.follow.directory=" + folder,
                        "--pypi.follow.poll-interval=100ms",
                        "--pypi.follow.quiet-period=0s",
                        "--pypi.follow.retry-initial=200ms",
                        "--pypi.follow.retry-max=2s",
                        "--pypi.follow.lease-duration=10s",
                        "--pypi.follow.lease-settle=20ms");
    }

    static ClickHouse clickHouse() {
        return gateway.getBean(ClickHouse.class);
    }

    /** An export written elsewhere, then moved into the followed folder in one step (as a careful writer delivers). */
    static Path deliver(String name, String prefix, String day) throws IOException {
        Path written = ExportFiles.write(clickHouse(), ExportFiles.select(prefix, day, ROWS), "Parquet", outbox.resolve(name));
        return Files.move(written, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the file's rows are being written into pypi: its ledger row says publishing and the INSERT runs. */
    static void awaitPublishing(Path file) {
        await(Duration.ofMinutes(3), "the follower publishing " + file, () -> "publishing".equals(ledgerStatus(file))
                && count("SELECT count() AS n FROM system.processes WHERE query LIKE 'INSERT INTO pypi_raw%'") > 0);
    }

    static String ledgerStatus(Path file) {
        return clickHouse().queryOne(Sql.of("SELECT toString(status) AS s FROM ingest_files FINAL WHERE source = {source:String}")
                .bind("source", file.toString()), row -> row.getString("s")).block();
    }

    static String followRecord(Path file) {
        return clickHouse().queryOne(Sql.of("SELECT concat(toString(status), ': ', reason) AS r FROM ingest_follow_files FINAL "
                + "WHERE source = {source:String}").bind("source", file.toString()), row -> row.getString("r")).block();
    }

    static long count(String sql) {
        return WarehouseTruth.count(clickHouse(), sql);
    }

    static long downloads(String prefix) {
        return count("SELECT count() AS n FROM pypi WHERE startsWith(project, '" + prefix + "')");
    }

    /** What the API serves for the prefix's days: the per-day aggregate. */
    static long served(String prefix) {
        return count("SELECT sum(count) AS n FROM pypi_downloads_per_day WHERE startsWith(project, '" + prefix + "')");
    }

    /** Waits for the follower to have loaded (or given up on) the file; meanwhile the prefix's days are never served above the file's rows. */
    static void awaitLoaded(Path file, String prefix) {
        await(Duration.ofMinutes(4), file + " loaded by the follower", () -> {
            long now = served(prefix);
            assertThat(now).as("downloads of the interrupted days served while they are repaired").isLessThanOrEqualTo(ROWS);
            String record = followRecord(file);
            return record != null && (record.startsWith("loaded") || record.startsWith("quarantined"));
        });
        assertThat(followRecord(file)).as("what the follower made of the file").startsWith("loaded");
    }

    /** Every day the file holds counted once, in pypi and in every aggregate; nothing suspect, nothing left over. */
    static void assertLoadedOnce(Path file, String prefix) {
        assertThat(downloads(prefix)).isEqualTo(ROWS);
        assertThat(served(prefix)).isEqualTo(ROWS);
        assertThat(count("SELECT sum(count) AS n FROM pypi_downloads WHERE startsWith(project, '" + prefix + "')")).isEqualTo(ROWS);
        assertThat(ledgerStatus(file)).isEqualTo("loaded");
        assertThat(count("SELECT count() AS n FROM ingest_files FINAL WHERE source = '" + file + "'")).isEqualTo(1);
        assertThat(WarehouseTruth.mismatches(clickHouse(), "it-die-", 2017)).isEmpty();
        assertThat(gateway.getBean(WarehouseStats.class).gaps().block()).extracting(WarehouseStats.Gap::status).doesNotContain("SUSPECT");
    }

    @Test
    @Order(1)
    void theEngineKilledWhileAFileIsPublishedIsRestartedAndTheFollowerResumesTheFile() throws IOException {
        EmbeddedEngine engine = gateway.getBean(EmbeddedEngine.class);
        ReactiveHealthIndicator health = gateway.getBean("clickHouseHealthIndicator", ReactiveHealthIndicator.class);
        Path file = deliver("2017-03-01.parquet", "it-die-kill-", "2017-03-01");
        awaitPublishing(file);

        long pid = engine.state().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();   // SIGKILL, mid-INSERT

        // The gateway notices, says DOWN while it restarts the engine on the same data directory, and is UP again.
        await(Duration.ofSeconds(30), "the engine's death noticed", () -> engine.state().status() == EmbeddedEngine.Status.RESTARTING);
        assertThat(health.health().block().getStatus()).isEqualTo(Status.DOWN);
        await(Duration.ofMinutes(2), "the engine restarted", () -> engine.state().status() == EmbeddedEngine.Status.RUNNING);
        assertThat(engine.state().pid()).isNotEqualTo(pid);
        assertThat(engine.state().restarts()).isEqualTo(1);
        assertThat(engine.state().lastFailure()).contains("exited unexpectedly");
        assertThat(health.health().block().getStatus()).isEqualTo(Status.UP);

        awaitLoaded(file, "it-die-kill-");
        assertThat(followRecord(file)).contains("resumed an interrupted load");
        assertLoadedOnce(file, "it-die-kill-");
    }

    @Test
    @Order(2)
    void closingTheGatewayWhileAFileIsPublishedReturnsAndTheNextStartLoadsTheFileOnce() throws Exception {
        long enginePid = gateway.getBean(EmbeddedEngine.class).state().pid();
        Path file = deliver("2017-04-01.parquet", "it-die-stop-", "2017-04-01");
        awaitPublishing(file);

        ConfigurableApplicationContext closing = gateway;
        gateway = null;
        long started = System.nanoTime();
        CompletableFuture<Void> close = CompletableFuture.runAsync(closing::close);
        // A hang detector, not a speed limit: a shutdown that retries the stopped engine or waits out the load fails here.
        close.get(90, TimeUnit.SECONDS);
        System.out.printf("gateway closed during a load in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(ProcessHandle.of(enginePid).filter(ProcessHandle::isAlive)).as("the engine process after the close").isEmpty();

        gateway = gateway();
        awaitLoaded(file, "it-die-stop-");
        assertThat(followRecord(file)).contains("resumed an interrupted load");
        assertLoadedOnce(file, "it-die-stop-");
        assertThat(downloads("it-die-kill-")).isEqualTo(ROWS);
        assertThat(count("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'ingest_stage_')"))
                .as("working tables left by the interrupted load").isZero();
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean done;
            try {
                done = condition.getAsBoolean();
            } catch (dev.pypianalytics.clickhouse.ClickHouseException e) {
                done = false;   // the engine is away for a moment: ask again
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
