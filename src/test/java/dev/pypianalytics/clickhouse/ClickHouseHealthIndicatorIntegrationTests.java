package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.clickhouse.embedded.RestartBackoff;
import dev.pypianalytics.clickhouse.embedded.TestEngines;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code clickHouse} in the health endpoint while the embedded engine is in trouble, on the real engine. */
class ClickHouseHealthIndicatorIntegrationTests {

    @Test
    void anEngineBeingRestartedIsDownWithItsProgressAndUpOnceItRunsAgain() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("health-restart");
        Path gate = dataDir.resolveSibling(dataDir.getFileName() + ".gate");
        EmbeddedEngine engine = new EmbeddedEngine(TestEngines.library(), dataDir, 0,
                Duration.ofSeconds(120), Duration.ofSeconds(30), new RestartBackoff(Duration.ofMillis(20), Duration.ofMillis(80)),
                TestEngines.gatedHostCommand(gate), null).start();
        try {
            ClickHouseHealthIndicator indicator = indicator(engine);
            assertThat(indicator.health().block().getStatus()).isEqualTo(Status.UP);

            Files.createFile(gate);
            long pid = engine.state().pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitState(engine, state -> state.failedRestarts() >= 6);

            Health restarting = indicator.health().block();
            assertThat(restarting.getStatus()).isEqualTo(Status.DOWN);
            assertThat(restarting.getDetails())
                    .containsEntry("engine", EmbeddedEngine.Status.RESTARTING)
                    .containsEntry("nextRestartIn", "PT0.08S")
                    .hasEntrySatisfying("failedRestarts", failed -> assertThat((Integer) failed).isGreaterThanOrEqualTo(6))
                    .hasEntrySatisfying("lastFailure", failure -> assertThat(failure.toString()).contains("closed by the test gate"));

            Files.delete(gate);
            awaitState(engine, state -> state.status() == EmbeddedEngine.Status.RUNNING);

            Health back = indicator.health().block();
            assertThat(back.getStatus()).isEqualTo(Status.UP);
            assertThat(back.getDetails()).containsKey("version").doesNotContainKeys("failedRestarts", "nextRestartIn");
        } finally {
            Files.deleteIfExists(gate);
            engine.close();
        }
    }

    @Test
    void aDataDirectoryRemovedUnderARunningEngineMakesItDown() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("health-removed");
        EmbeddedEngine engine = new EmbeddedEngine(TestEngines.library(), dataDir, 0,
                Duration.ofSeconds(120), Duration.ofSeconds(30), new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                EmbeddedEngine.hostCommandForThisJvm("96m"), null).start();
        try {
            ClickHouseHealthIndicator indicator = indicator(engine);
            assertThat(indicator.health().block().getStatus()).isEqualTo(Status.UP);

            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }

            Health health = indicator.health().block();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails())
                    .containsEntry("engine", EmbeddedEngine.Status.DATA_DIR_REMOVED)
                    .hasEntrySatisfying("lastFailure", failure -> assertThat(failure.toString()).contains("was removed"));
        } finally {
            engine.close();
        }
    }

    private static ClickHouseHealthIndicator indicator(EmbeddedEngine engine) {
        ClickHouseEndpoint endpoint = new ClickHouseEndpoint(engine.url(), "default", "", "default", Map.of());
        return new ClickHouseHealthIndicator(HttpClickHouse.administrative(endpoint, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                endpoint, engine);
    }

    private static void awaitState(EmbeddedEngine engine, Predicate<EmbeddedEngine.State> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(engine.state())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("engine did not get there: " + engine.state());
    }
}
