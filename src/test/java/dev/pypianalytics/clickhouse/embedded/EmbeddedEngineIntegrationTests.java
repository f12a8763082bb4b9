package dev.pypianalytics.clickhouse.embedded;

import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded engine's lifecycle, on the real engine library, each test with its own data directory. */
class EmbeddedEngineIntegrationTests {

    static Path library;

    @BeforeAll
    static void engineLibrary() {
        library = TestEngines.library();
    }

    static EmbeddedEngine engine(Path dataDir, int port) {
        return new EmbeddedEngine(library, dataDir, port, Duration.ofSeconds(120), Duration.ofSeconds(30),
                new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)), EmbeddedEngine.hostCommandForThisJvm("96m"), null);
    }

    static HttpClickHouse client(EmbeddedEngine engine) {
        return HttpClickHouse.administrative(new ClickHouseEndpoint(engine.url(), "default", "", "default", Map.of()),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void dataSurvivesARestartAndStoppingLeavesNoProcess() {
        Path dataDir = TestWarehouse.newDirectory("restart");
        EmbeddedEngine first = engine(dataDir, 0).start();
        long firstPid = first.state().pid();
        HttpClickHouse clickHouse = client(first);
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
            HttpClickHouse clickHouse = client(engine);
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
        try {
            // The engine starts within its 120 s start timeout, or the parent fails; either way we stop waiting.
            enginePid = Long.parseLong(firstLineStartingWith(parent, "engine-pid=", Duration.ofSeconds(180)).strip());
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

    /**
     * The rest of the first line of {@code process}'s output that starts with {@code prefix}, waiting at most
     * {@code limit} (a bare readLine would wait for as long as the process lives without printing it). The output
     * is read to its end in a thread of its own, so the process never blocks on a full pipe (the thread ends when the
     * process does).
     */
    static String firstLineStartingWith(Process process, String prefix, Duration limit) throws InterruptedException {
        CompletableFuture<String> found = new CompletableFuture<>();
        StringBuffer seen = new StringBuffer();   // written by the reader, read here
        Thread.ofPlatform().daemon().name("parent-output").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(prefix)) {
                        found.complete(line.substring(prefix.length()));
                    } else if (!found.isDone() && seen.length() < 20_000) {
                        seen.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
            found.completeExceptionally(new IllegalStateException("the output ended"));
        });
        try {
            return found.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            String why = e instanceof TimeoutException ? "in " + limit.toSeconds() + " s" : "(" + e.getCause().getMessage() + ")";
            throw new AssertionError("no line starting with " + prefix + " " + why + "; the output was:\n" + seen, e);
        }
    }

    @Test
    void stoppingLetsARunningInsertFinishAndEndsTheHostWithoutACrash() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("stop");
        Set<Path> crashReportsHere = crashReports(Path.of(""));
        for (int cycle = 1; cycle <= 2; cycle++) {
            EmbeddedEngine engine = engine(dataDir, 0).start();
            HttpClickHouse clickHouse = client(engine);
            clickHouse.execute(Sql.of("CREATE TABLE IF NOT EXISTS slow (cycle Int64, n Int64) ENGINE = MergeTree ORDER BY n")).block();
            // 12 one-row blocks, a quarter of a second each: still running when the stop begins.
            CompletableFuture<Void> insert = clickHouse.execute(Sql.of("INSERT INTO slow SELECT " + cycle + ", number "
                    + "FROM numbers(12) WHERE sleepEachRow(0.25) = 0 "
                    + "SETTINGS max_block_size = 1, min_insert_block_size_rows = 1, max_threads = 1")).toFuture();
            awaitRunning(clickHouse, "INSERT INTO slow");

            engine.close();

            assertThat(insert).as("the insert that ran while the engine stopped").succeedsWithin(Duration.ofSeconds(5));
            assertThat(engine.state().status()).isEqualTo(EmbeddedEngine.Status.STOPPED);
        }
        EmbeddedEngine reopened = engine(dataDir, 0).start();
        try {
            assertThat(client(reopened).query(Sql.of("SELECT cycle, count() AS n FROM slow GROUP BY cycle ORDER BY cycle"),
                    row -> List.of(row.getLong("cycle"), row.getLong("n"))).collectList().block())
                    .containsExactly(List.of(1L, 12L), List.of(2L, 12L));
        } finally {
            reopened.close();
        }
        assertThat(Files.readString(dataDir.resolve(EmbeddedEngine.LOG_FILE)))
                .doesNotContain("A fatal error has been detected")
                .doesNotContain("SIGSEGV");
        assertThat(crashReports(dataDir)).isEmpty();
        assertThat(crashReports(Path.of(""))).as("crash reports in the working directory").isEqualTo(crashReportsHere);
    }

    @Test
    void theQueryLogKeepsEarlierRunsQueriesAcrossRestarts() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("query-log");
        EngineConfig config = EngineConfig.withRandomPassword("pypi_api", "default", 60);
        String prefix = "qlog-" + UUID.randomUUID();
        List<String> asked = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            EmbeddedEngine engine = new EmbeddedEngine(library, dataDir, 0, Duration.ofSeconds(120), Duration.ofSeconds(30),
                    new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)), EmbeddedEngine.hostCommandForThisJvm("96m"),
                    config).start();
            try {
                if (run > 1) {   // before any flush there is no query log yet
                    assertThat(post(engine, "SELECT groupArray(query_id) FROM (SELECT DISTINCT query_id FROM system.query_log "
                            + "WHERE query_id LIKE '" + prefix + "-%' ORDER BY query_id)", null))
                            .as("query ids of earlier runs found in run %d", run)
                            .isEqualTo(asked.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",", "[", "]")));
                }
                String id = prefix + "-" + run;
                post(engine, "SELECT " + run, id);
                asked.add(id);
            } finally {
                engine.close();   // no SYSTEM FLUSH LOGS here: stopping has to keep the last queries
            }
        }
    }

    @Test
    void aDataDirectoryFromBeforeKeepsItsQueryLogFromNowOn() throws Exception {
        // What earlier versions left after a first run: the query log's data under an in-memory system database.
        Path dataDir = TestWarehouse.newDirectory("query-log-before");
        Path earlierLog = Files.createDirectories(dataDir.resolve("data/system/query_log/202612_1_1_0"));
        Files.writeString(earlierLog.resolve("count.txt"), "2");
        EngineConfig config = EngineConfig.withRandomPassword("pypi_api", "default", 60);
        String id = "qlog-before-" + UUID.randomUUID();
        for (int run = 1; run <= 2; run++) {
            EmbeddedEngine engine = new EmbeddedEngine(library, dataDir, 0, Duration.ofSeconds(120), Duration.ofSeconds(30),
                    new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)), EmbeddedEngine.hostCommandForThisJvm("96m"),
                    config).start();
            try {
                if (run == 1) {
                    post(engine, "SELECT 1", id);
                } else {
                    assertThat(post(engine, "SELECT count() FROM system.query_log WHERE query_id = '" + id + "'", null))
                            .isNotEqualTo("0");
                }
            } finally {
                engine.close();
            }
        }
        try (Stream<Path> kept = Files.list(dataDir)) {
            assertThat(kept.filter(path -> path.getFileName().toString().startsWith(EngineConfig.EARLIER_SYSTEM_LOGS_PREFIX)))
                    .singleElement()
                    .satisfies(aside -> assertThat(aside.resolve("query_log/202612_1_1_0/count.txt")).hasContent("2"));
        }
    }

    @Test
    void anEngineThatCannotRestartIsRetriedWithCappedBackoffUntilItRunsAgain() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("retry");
        Path gate = dataDir.resolveSibling(dataDir.getFileName() + ".gate");
        EmbeddedEngine engine = new EmbeddedEngine(library, dataDir, 0, Duration.ofSeconds(120), Duration.ofSeconds(30),
                new RestartBackoff(Duration.ofMillis(20), Duration.ofMillis(80)), TestEngines.gatedHostCommand(gate), null).start();
        try {
            HttpClickHouse clickHouse = client(engine);
            clickHouse.execute(Sql.of("CREATE TABLE kept (n Int64) ENGINE = MergeTree ORDER BY n")).block();
            clickHouse.execute(Sql.of("INSERT INTO kept SELECT number FROM numbers(10)")).block();
            int port = engine.state().port();
            long pid = engine.state().pid();

            Files.createFile(gate);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            EmbeddedEngine.State failing = awaitState(engine, state -> state.failedRestarts() >= 8);
            // More failed attempts than the old limit of 5 in a row, and it is still trying, no longer doubling the wait.
            assertThat(failing.status()).isEqualTo(EmbeddedEngine.Status.RESTARTING);
            assertThat(failing.restartDelay()).isEqualTo(Duration.ofMillis(80));
            assertThat(failing.lastFailure()).contains("closed by the test gate");

            try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                Files.delete(gate);
                int failedSoFar = engine.state().failedRestarts();
                EmbeddedEngine.State portTaken = awaitState(engine, state -> state.failedRestarts() > failedSoFar + 2);
                assertThat(portTaken.status()).isEqualTo(EmbeddedEngine.Status.RESTARTING);
                assertThat(portTaken.lastFailure()).contains("Port " + port).contains("not available");
            }

            EmbeddedEngine.State back = awaitState(engine, state -> state.status() == EmbeddedEngine.Status.RUNNING);
            assertThat(back.port()).as("clients keep their URL").isEqualTo(port);
            assertThat(back.pid()).isPositive().isNotEqualTo(pid);
            assertThat(back.failedRestarts()).isZero();
            assertThat(back.restartDelay()).isNull();
            assertThat(clickHouse.queryOne(Sql.of("SELECT count() AS n FROM kept"), row -> row.getLong("n")).block()).isEqualTo(10);
        } finally {
            Files.deleteIfExists(gate);
            engine.close();
        }
    }

    @Test
    void anEngineThatDiesAgainSoonAfterARestartWaitsLongerEachTime() throws Exception {
        EmbeddedEngine engine = new EmbeddedEngine(library, TestWarehouse.newDirectory("crash-loop"), 0, Duration.ofSeconds(120),
                Duration.ofSeconds(30), new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(8)),
                EmbeddedEngine.hostCommandForThisJvm("96m"), null).start();
        try {
            List<Duration> waits = new ArrayList<>();
            for (int death = 1; death <= 3; death++) {
                long pid = engine.state().pid();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                waits.add(awaitState(engine, state -> state.status() == EmbeddedEngine.Status.RESTARTING
                        && state.restartDelay() != null).restartDelay());
                awaitState(engine, state -> state.status() == EmbeddedEngine.Status.RUNNING && state.pid() > 0 && state.pid() != pid);
            }
            // Each died well within the longest wait (8 s) of its start: one crash loop, not three separate failures.
            assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        } finally {
            engine.close();
        }
    }

    @Test
    void aDataDirectoryRemovedUnderTheEngineIsRecreatedWhenItRestarts() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("removed");
        EngineConfig config = EngineConfig.withRandomPassword("pypi_api", "default", 60);
        EmbeddedEngine engine = new EmbeddedEngine(library, dataDir, 0, Duration.ofSeconds(120), Duration.ofSeconds(30),
                new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)), EmbeddedEngine.hostCommandForThisJvm("96m"),
                config).start();
        try {
            long pid = engine.state().pid();
            deleteRecursively(dataDir);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

            awaitState(engine, state -> state.status() == EmbeddedEngine.Status.RUNNING && state.pid() > 0 && state.pid() != pid);

            // Its configuration is back (the API user exists), and the directory is locked again.
            HttpClickHouse api = HttpClickHouse.administrative(new ClickHouseEndpoint(engine.url(), config.user(), config.password(),
                    "default", Map.of()), Duration.ofSeconds(5), Duration.ofSeconds(30));
            assertThat(api.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block())
                    .isEqualTo(config.user());
            assertThatThrownBy(() -> engine(dataDir, 0).start()).isInstanceOfSatisfying(EmbeddedEngineException.class,
                    e -> assertThat(e.getMessage()).contains("in use"));
        } finally {
            engine.close();
        }
    }

    @Test
    void theEngineLogAndCrashReportsStayBounded() throws Exception {
        Path dataDir = TestWarehouse.newDirectory("logs");
        Path log = dataDir.resolve(EmbeddedEngine.LOG_FILE);
        byte[] line = "old engine output\n".getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(log)) {
            for (long written = 0; written <= 11L * 1024 * 1024; written += line.length) {
                out.write(line);
            }
        }
        long oldSize = Files.size(log);
        for (int i = 1; i <= 7; i++) {
            Path report = Files.writeString(dataDir.resolve("hs_err_pid" + (1000 + i) + ".log"), "crash " + i);
            Files.setLastModifiedTime(report, FileTime.fromMillis(1_700_000_000_000L + i * 60_000L));
        }

        EmbeddedEngine engine = engine(dataDir, 0).start();
        engine.close();

        assertThat(Files.size(dataDir.resolve(EmbeddedEngine.LOG_FILE + ".1"))).isEqualTo(oldSize);
        assertThat(Files.size(log)).isLessThan(1024 * 1024);
        assertThat(Files.readString(log)).contains("starting engine on port");
        assertThat(crashReports(dataDir)).extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder("hs_err_pid1003.log", "hs_err_pid1004.log", "hs_err_pid1005.log",
                        "hs_err_pid1006.log", "hs_err_pid1007.log");
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

    /** Runs one statement over HTTP (as default), with a query id if given; its answer. */
    private static String post(EmbeddedEngine engine, String sql, String queryId) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(engine.url().resolve(queryId == null ? "/" : "/?query_id=" + queryId))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body().strip();
        }
    }

    private static void awaitRunning(HttpClickHouse clickHouse, String queryStart) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Long running = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM system.processes WHERE query LIKE {start:String}")
                    .bind("start", queryStart + "%"), row -> row.getLong("n")).block();
            if (running != null && running > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no running query starts with " + queryStart);
    }

    private static EmbeddedEngine.State awaitState(EmbeddedEngine engine, Predicate<EmbeddedEngine.State> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            EmbeddedEngine.State state = engine.state();
            if (condition.test(state)) {
                return state;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("engine did not get there: " + engine.state());
    }

    private static Set<Path> crashReports(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("hs_err_pid")).collect(Collectors.toSet());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
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
