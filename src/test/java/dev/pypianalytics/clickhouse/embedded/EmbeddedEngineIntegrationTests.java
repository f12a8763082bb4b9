package dev.pypianalytics.clickhouse.embedded;

import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.R2dbcClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded engine's lifecycle, on the real engine library, each test with its own data directory. */
class EmbeddedEngineIntegrationTests {

    static Path library;

    @BeforeAll
    static void engineLibrary() {
        EnginePackage.Platform platform = EnginePackage.Platform.current();
        library = new EnginePackage(platform, "26.7.3-stable.1", null, defaultCacheDir(), "npm", Duration.ofMinutes(20)).library();
    }

    static Path defaultCacheDir() {
        return new dev.pypianalytics.config.EmbeddedEngineProperties(null, null, 0, null, "26.7.3-stable.1", null, "npm",
                Duration.ofSeconds(120), Duration.ofMinutes(20), 5, "96m").cacheDir();
    }

    static EmbeddedEngine engine(Path dataDir, int port) {
        return new EmbeddedEngine(library, dataDir, port, Duration.ofSeconds(120), 3, EmbeddedEngine.hostCommandForThisJvm("96m"));
    }

    static R2dbcClickHouse client(EmbeddedEngine engine) {
        return new R2dbcClickHouse(new ClickHouseEndpoint(engine.url(), "default", "", "default", Map.of()),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void dataSurvivesARestartAndStoppingLeavesNoProcess() {
        Path dataDir = TestWarehouse.newDirectory("restart");
        EmbeddedEngine first = engine(dataDir, 0).start();
        long firstPid = first.state().pid();
        R2dbcClickHouse clickHouse = client(first);
        clickHouse.execute(Sql.of("CREATE TABLE kept (n Int64) ENGINE = MergeTree ORDER BY n")).block();
        clickHouse.execute(Sql.of("INSERT INTO kept SELECT number FROM numbers(100000)")).block();
        first.close();

        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(first.state().status()).isEqualTo(EmbeddedEngine.Status.STOPPED);

        EmbeddedEngine second = engine(dataDir, 0).start();
        try {
            assertThat(client(second).queryOne(Sql.of("SELECT count() AS rows, sum(n) AS total FROM kept"),
                    row -> List.of(row.getLong("rows"), row.getLong("total"))).block())
                    .containsExactly(100_000L, 4_999_950_000L);
        } finally {
            second.close();
        }
    }

    @Test
    void anEngineThatDiesIsRestartedOnTheSamePort() throws InterruptedException {
        EmbeddedEngine engine = engine(TestWarehouse.newDirectory("crash"), 0).start();
        try {
            R2dbcClickHouse clickHouse = client(engine);
            clickHouse.execute(Sql.of("CREATE TABLE survivor (n Int64) ENGINE = MergeTree ORDER BY n")).block();
            clickHouse.execute(Sql.of("INSERT INTO survivor SELECT number FROM numbers(10)")).block();
            long pid = engine.state().pid();
            int port = engine.state().port();

            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitStatus(engine, EmbeddedEngine.Status.RUNNING, pid);

            assertThat(engine.state().port()).isEqualTo(port);
            assertThat(engine.state().restarts()).isEqualTo(1);
            assertThat(engine.state().lastFailure()).contains("exited unexpectedly");
            assertThat(clickHouse.queryOne(Sql.of("SELECT count() AS n FROM survivor"), row -> row.getLong("n")).block()).isEqualTo(10);
        } finally {
            engine.close();
        }
    }

    @Test
    void killingTheParentWithSigkillLeavesNoOrphan() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("orphan");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EngineParentProcess.class.getName(),
                library.toString(), dataDir.toString())
                .redirectErrorStream(true).start();
        long enginePid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("engine-pid=")) {
                    enginePid = Long.parseLong(line.substring("engine-pid=".length()).strip());
                    break;
                }
            }
            assertThat(enginePid).as("the parent reported its engine").isPositive();
            assertThat(ProcessHandle.of(enginePid).map(ProcessHandle::isAlive)).contains(true);

            parent.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook runs in the parent

            Optional<ProcessHandle> engine = ProcessHandle.of(enginePid);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (engine.isPresent() && engine.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(engine.filter(ProcessHandle::isAlive)).as("engine process after its parent was killed").isEmpty();
        } finally {
            parent.destroyForcibly();
            if (enginePid > 0) {
                ProcessHandle.of(enginePid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aTakenPortIsReportedWithAdvice() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedEngine engine = engine(TestWarehouse.newDirectory("port"), taken.getLocalPort());
            assertThatThrownBy(engine::start).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
                assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.PORT_UNAVAILABLE);
                assertThat(e.getMessage()).contains(String.valueOf(taken.getLocalPort()));
                assertThat(e.action()).contains("pypi.embedded.port").contains("PYPI_CLICKHOUSE_URL");
            });
        }
    }

    @Test
    void aDataDirectoryInUseByAnotherGatewayIsReported() {
        Path dataDir = TestWarehouse.newDirectory("shared");
        EmbeddedEngine first = engine(dataDir, 0).start();
        try {
            assertThatThrownBy(() -> engine(dataDir, 0).start()).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
                assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE);
                assertThat(e.getMessage()).contains("in use");
            });
            assertThat(first.ping()).isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    void anUnusableDataDirectoryIsReported() throws Exception {
        Path file = Files.createTempFile(TestWarehouse.newDirectory("file"), "not-a-dir", ".txt");
        assertThatThrownBy(() -> engine(file.resolve("data"), 0).start()).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE);
            assertThat(e.getMessage()).contains(file.toString());
            assertThat(e.action()).contains("pypi.embedded.data-dir");
        });
    }

    private static void awaitStatus(EmbeddedEngine engine, EmbeddedEngine.Status status, long oldPid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            EmbeddedEngine.State state = engine.state();
            if (state.status() == status && state.pid() != oldPid && state.pid() > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("engine did not reach " + status + ": " + engine.state());
    }
}
