package dev.pypianalytics.clickhouse;

import dev.pypianalytics.support.RequestStatementsInEngine;

import dev.pypianalytics.config.ClickHouseProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API's port keeps the port's contract, runs as a user that can only read, sends the request's id
 * as ClickHouse's query id and reports ClickHouse's own statistics of each query.
 */
class HttpClickHousePortIntegrationTests extends ClickHousePortContract {

    @Autowired
    HttpClickHouse api;

    @Autowired
    @ApiReads
    ClickHouse cachedApi;

    @Autowired
    ClickHouse admin;

    @Autowired
    ClickHouseEndpoint endpoint;

    @Autowired
    ClickHouseProperties properties;

    @Override
    ClickHouse port() {
        return api;
    }

    @Override
    ClickHouse at(ClickHouseEndpoint nowhere) {
        return new HttpClickHouse(new ClickHouseHttp(nowhere, Duration.ofSeconds(2)), Duration.ofSeconds(10), true);
    }

    @Test
    void apiQueriesRunAsTheReadOnlyUser() {
        String expected = properties.external() ? properties.api().user() : ClickHouseProperties.ApiUser.EMBEDDED_DEFAULT;
        org.junit.jupiter.api.Assumptions.assumeTrue(!expected.isBlank(), "no API user configured for this external server");
        assertThat(api.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isEqualTo(expected);
        assertThat(cachedApi.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isEqualTo(expected);
        assertThat(admin.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isNotEqualTo(expected);
    }

    @Test
    void theApiPortCannotChangeAnything() {
        long before = rowsOfPypi();
        List<String> writes = List.of(
                "INSERT INTO pypi_downloads (project, count) VALUES ('written-by-the-api', 1)",
                "CREATE TABLE api_was_here (x Int8) ENGINE = MergeTree ORDER BY x",
                "TRUNCATE TABLE pypi_downloads",
                "DROP TABLE pypi",
                "ALTER TABLE pypi DELETE WHERE 1",
                "SYSTEM FLUSH LOGS");
        for (String write : writes) {
            assertThatThrownBy(() -> api.execute(Sql.of(write)).block(), write)
                    // 164 READONLY, 497 ACCESS_DENIED
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.serverErrorCode()).isIn(164, 497));
        }
        assertThat(rowsOfPypi()).isEqualTo(before);
        assertThat(admin.queryOne(Sql.of("SELECT count() AS n FROM pypi_downloads WHERE project = 'written-by-the-api'"),
                row -> row.getLong("n")).block()).isZero();
        assertThat(admin.queryOne(Sql.of("EXISTS TABLE api_was_here"), row -> row.getLong("result")).block()).isZero();
    }

    @Test
    void withTheMainCredentialsEveryStatementIsStillReadOnly() {
        // An external server without a dedicated API user: the administrative user, readonly per statement.
        HttpClickHouse readOnlyAdmin = new HttpClickHouse(new ClickHouseHttp(endpoint, Duration.ofSeconds(2)),
                Duration.ofSeconds(10), true);
        assertThatThrownBy(() -> readOnlyAdmin.execute(Sql.of("CREATE TABLE api_was_here (x Int8) ENGINE = MergeTree ORDER BY x")).block())
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.serverErrorCode()).isEqualTo(164));
        assertThat(readOnlyAdmin.queryOne(Sql.of("SELECT count() AS n FROM numbers(5)"), row -> row.getLong("n")).block()).isEqualTo(5);
    }

    @Test
    void theRequestIdBecomesTheQueryIdOfEachStatement() {
        Sql queryId = Sql.of("SELECT queryID() AS id");
        List<String> ids = api.queryOne(queryId, row -> row.getString("id"))
                .concatWith(api.queryOne(Sql.of("SELECT queryID() AS id, 2 AS second"), row -> row.getString("id")))
                .collectList()
                .contextWrite(RequestStatements.forRequest("req-7f3a", cancelled -> { }).context())
                .block();
        assertThat(ids).containsExactly("req-7f3a-1", "req-7f3a-2");
        // Without a request, ClickHouse names the query itself.
        assertThat(api.queryOne(queryId, row -> row.getString("id")).block()).matches("[0-9a-f-]{36}");
    }

    @Test
    void clickHouseStatisticsOfEachQueryReachTheListener() {
        List<QueryStatistics> reported = new ArrayList<>();
        long sum = api.queryOne(Sql.of("SELECT sum(count) AS n FROM pypi_downloads"), row -> row.getLong("n"))
                .contextWrite(RequestStatements.forRequest("stats-1", cancelled -> { }).context())
                .contextWrite(QueryStatistics.listen(reported::add))
                .block();
        long rows = admin.queryOne(Sql.of("SELECT count() AS n FROM pypi_downloads"), row -> row.getLong("n")).block();
        assertThat(sum).isEqualTo(rowsOfPypi());
        assertThat(reported).singleElement().satisfies(statistics -> {
            assertThat(statistics.queryId()).isEqualTo("stats-1-1");
            assertThat(statistics.rowsRead()).isEqualTo(rows);
            assertThat(statistics.elapsedMillis()).isPositive();
        });
    }

    @Test
    void anAnswerWaitsForItsStatementsEndInTheServersMemoryNotInATemporaryFile() {
        String requestId = "buffered-" + System.nanoTime();
        long projects = api.query(Sql.of("SELECT project, sum(count) AS n FROM pypi_downloads GROUP BY project"), row -> row.getLong("n"))
                .count().contextWrite(RequestStatements.forRequest(requestId, cancelled -> { }).context()).block();
        assertThat(projects).isPositive();
        RequestStatementsInEngine engine = new RequestStatementsInEngine(admin);
        engine.awaitLogged(requestId);
        // The answer (thousands of rows) was held back until the statement ended, as every API statement's is, in memory.
        assertThat(admin.queryOne(Sql.of("SELECT count() AS statements, sum(ProfileEvents['ExternalProcessingFilesTotal']) AS files "
                        + "FROM system.query_log WHERE type = 'QueryFinish' AND query_id = {id:String}").bind("id", requestId + "-1"),
                row -> row.getLong("statements") + " statement, " + row.getLong("files") + " temporary files").block())
                .isEqualTo("1 statement, 0 temporary files");
    }

    @Test
    void identicalStatementsOfOneRequestAreSentOnce() {
        RequestStatements request = RequestStatements.forRequest("once-" + System.nanoTime(), cancelled -> { });
        Sql same = Sql.of("SELECT count() AS n FROM pypi_downloads WHERE project = {p:String}").bind("p", "boto3");
        var both = Mono.zip(api.queryOne(same, row -> row.getLong("n")), api.queryOne(same, row -> row.getLong("n")),
                api.queryOne(same.bind("p", "pip"), row -> row.getLong("n"))).contextWrite(request.context()).block();
        assertThat(both.getT1()).isEqualTo(both.getT2());
        // Two distinct statements reached ClickHouse, not three.
        assertThat(request.issued()).hasSize(2);
        assertThat(new RequestStatementsInEngine(admin).sent(request.requestId())).isEqualTo(2);
    }

    /** The API's port with pypi.clickhouse.api.batch on. */
    private HttpClickHouse batching() {
        return new HttpClickHouse(new ClickHouseHttp(api.endpoint(), Duration.ofSeconds(2)), Duration.ofSeconds(30), true, java.util.Map.of(),
                () -> true, 16, true);
    }

    @Test
    void batchedIdenticalStatementsAreSentOnceAndTheRestTogether() {
        HttpClickHouse api = batching();
        RequestStatements request = RequestStatements.forRequest("once-" + System.nanoTime(), cancelled -> { });
        Sql same = Sql.of("SELECT count() AS n FROM pypi_downloads WHERE project = {p:String}").bind("p", "boto3");
        var both = Mono.zip(api.queryOne(same, row -> row.getLong("n")), api.queryOne(same, row -> row.getLong("n")),
                api.queryOne(same.bind("p", "pip"), row -> row.getLong("n"))).contextWrite(request.context()).block();
        assertThat(both.getT1()).isEqualTo(both.getT2()).isEqualTo(admin.queryOne(same, row -> row.getLong("n")).block());
        assertThat(both.getT3()).isEqualTo(admin.queryOne(same.bind("p", "pip"), row -> row.getLong("n")).block());
        // Two distinct questions, asked at once: one statement reached ClickHouse, not three.
        assertThat(request.issued()).hasSize(1);
        assertThat(new RequestStatementsInEngine(admin).sent(request.requestId())).isEqualTo(1);
    }

    @Test
    void statementsSentTogetherKeepTheirOwnColumnsOrderAndParameters() {
        HttpClickHouse api = batching();
        RequestStatements request = RequestStatements.forRequest("together-" + System.nanoTime(), cancelled -> { });
        var answers = Mono.zip(
                api.query(Sql.of("SELECT number AS x FROM numbers({n:UInt64}) ORDER BY x DESC").bind("n", 5), row -> row.getLong("x")).collectList(),
                api.query(Sql.of("SELECT toString(number) AS s, toDate('2026-01-01') + number AS d FROM numbers({n:UInt64}) ORDER BY s")
                        .bind("n", 3), row -> row.getString("s") + " " + row.getDate("d")).collectList(),
                api.query(Sql.of("SELECT toUInt64(9007199254740993 - number) AS big, [1, 2] AS a FROM numbers(1)"),
                        row -> row.get("big") + " " + row.get("a")).collectList())
                .contextWrite(request.context()).block();
        assertThat(answers.getT1()).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(answers.getT2()).containsExactly("0 2026-01-01", "1 2026-01-02", "2 2026-01-03");
        assertThat(answers.getT3()).containsExactly("9007199254740993 [1, 2]");
        assertThat(request.issued()).hasSize(1);
    }

    @Test
    void aStatementThatFailsInABatchFailsAloneWithItsOwnCode() {
        HttpClickHouse api = batching();
        RequestStatements request = RequestStatements.forRequest("apart-" + System.nanoTime(), cancelled -> { });
        Mono<Long> good = api.queryOne(Sql.of("SELECT count() AS n FROM numbers(7)"), row -> row.getLong("n"));
        Mono<Long> bad = api.queryOne(Sql.of("SELECT count() AS n FROM no_such_table"), row -> row.getLong("n"))
                .onErrorResume(ClickHouseException.class, e -> Mono.just(-(long) e.serverErrorCode()));
        var both = Mono.zip(good, bad).contextWrite(request.context()).block();
        assertThat(both.getT1()).isEqualTo(7);
        // UNKNOWN_TABLE (60), as if it had been sent alone; the union was tried first, then each statement on its own.
        assertThat(both.getT2()).isEqualTo(-60);
        assertThat(request.issued()).hasSize(3);
    }

    @Test
    void aCancelledRequestStopsItsStatementsInTheEngineAndStartsNoMore() {
        RequestStatements request = RequestStatements.forRequest("cancel-" + System.nanoTime(), running -> killer.kill(running).block());
        // Ten seconds of work unless stopped.
        Sql slow = Sql.of("SELECT sum(sleepEachRow(0.5)) AS n FROM numbers(20)").setting("max_block_size", 1);
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var done = new java.util.concurrent.CountDownLatch(1);
        api.queryOne(slow, row -> row.getLong("n")).contextWrite(request.context())
                .subscribe(value -> { }, error -> { failure.set(error); done.countDown(); }, done::countDown);
        String queryId = request.requestId() + "-1";
        awaitUntil(() -> running(queryId) == 1);

        request.cancel();

        awaitUntil(() -> done.getCount() == 0);
        assertThat(failure.get()).isInstanceOfSatisfying(ClickHouseException.class,
                cancelled -> assertThat(cancelled.kind()).isEqualTo(ClickHouseException.Kind.CANCELLED));
        awaitUntil(() -> running(queryId) == 0);
        // A statement asked for after the cancellation is refused without reaching ClickHouse.
        assertThatThrownBy(() -> api.queryOne(Sql.of("SELECT 1 AS n"), row -> row.getLong("n")).contextWrite(request.context()).block())
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.CANCELLED));
        assertThat(request.issued()).containsExactly(queryId);
    }

    @Test
    void noMoreStatementsInFlightThanConfigured() {
        // Measured where it matters: in the engine's own log of when each statement ran.
        int bound = 2;
        HttpClickHouse bounded = new HttpClickHouse(new ClickHouseHttp(endpoint, Duration.ofSeconds(2)),
                Duration.ofSeconds(30), true, java.util.Map.of(), () -> true, bound);
        String marker = "bounded-" + java.util.UUID.randomUUID();
        List<Long> answers = reactor.core.publisher.Flux.range(0, 8)
                .flatMap(i -> bounded.queryOne(Sql.of("SELECT sleep(0.3) AS slept, '" + marker + "' AS marker, " + i + " AS n"),
                        row -> row.getLong("n")), 8)
                .collectList().block();
        assertThat(answers).hasSize(8);
        RequestStatementsInEngine.awaitLogged(admin, Sql.of("""
                SELECT count() = 8 AS ok FROM system.query_log
                WHERE type = 'QueryFinish' AND query LIKE {marker:String} AND query NOT LIKE '%system.query_log%'""")
                .bind("marker", "%" + marker + "%"));
        List<long[]> spans = admin.query(Sql.of("""
                        SELECT toUnixTimestamp64Micro(query_start_time_microseconds) AS started, query_duration_ms AS took
                        FROM system.query_log WHERE type = 'QueryFinish' AND query LIKE {marker:String} AND query NOT LIKE '%system.query_log%'""")
                        .bind("marker", "%" + marker + "%"),
                row -> new long[] {row.getLong("started"), row.getLong("started") + 1000 * row.getLong("took")}).collectList().block();
        assertThat(spans).hasSize(8);
        int most = 0;
        for (long[] span : spans) {
            // Statements running at the moment this one started (itself included).
            int running = (int) spans.stream().filter(other -> other[0] <= span[0] && span[0] < other[1]).count();
            most = Math.max(most, running);
        }
        assertThat(most).as("statements running at once").isEqualTo(bound);
    }

    @Autowired
    QueryKiller killer;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** A table of the warehouse for one test's loads, dropped afterwards. */
    private String loadTable() {
        String table = "port_load_" + java.util.HexFormat.of().toHexDigits(System.nanoTime());
        admin.execute(Sql.of("CREATE TABLE " + table + " (n Int64, s String, tag String) ENGINE = MergeTree ORDER BY n")).block();
        return table;
    }

    private void drop(String table) {
        admin.execute(Sql.of("DROP TABLE IF EXISTS " + table)).block();
    }

    @Test
    void aLoadStreamsItsCompressedBodyUnderItsQueryIdWithItsParameters() throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("rows.tsv.gz");
        try (var out = new java.io.PrintStream(new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file)), false,
                java.nio.charset.StandardCharsets.UTF_8)) {
            for (int n = 1; n <= 1000; n++) {
                out.print(n + "\trow " + n + "\n");
            }
        }
        String table = loadTable();
        String queryId = "port-load-" + java.util.UUID.randomUUID();
        Body body = Body.ofFile(file, "gzip");
        try {
            admin.load(Sql.of("INSERT INTO " + table + " (n, s, tag) SELECT n, s, {tag:String} FROM input('n Int64, s String') FORMAT TSV")
                    .bind("tag", "it's a load"), queryId, body).block();

            assertThat(admin.queryOne(Sql.of("SELECT count() AS rows, sum(n) AS total, countIf(s = concat('row ', toString(n))) AS same "
                            + "FROM " + table + " WHERE tag = 'it\\'s a load'"),
                    row -> List.of(row.getLong("rows"), row.getLong("total"), row.getLong("same"))).block())
                    .containsExactly(1000L, 500_500L, 1000L);
            assertThat(body.sent()).isEqualTo(java.nio.file.Files.size(file));
            RequestStatementsInEngine.awaitLogged(admin, Sql.of("""
                    SELECT count() = 1 AS ok FROM system.query_log
                    WHERE type = 'QueryFinish' AND query_id = {id:String} AND written_rows = 1000""").bind("id", queryId));
        } finally {
            drop(table);
        }
    }

    @Test
    void aLoadTheServerRefusesFailsWithTheServersCodeAndKind() {
        String table = loadTable();
        try {
            Sql unknownTable = Sql.of("INSERT INTO " + table + "_absent (n) SELECT number FROM numbers(3)");
            assertThatThrownBy(() -> admin.load(unknownTable, null, null).block())
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.QUERY);
                        assertThat(e.serverErrorCode()).isEqualTo(60); // UNKNOWN_TABLE
                        assertThat(e.getMessage()).startsWith("ClickHouse rejected a statement: ");
                    });
            Sql tooLong = Sql.of("INSERT INTO " + table + " (n) SELECT sleepEachRow(0.5) + number FROM numbers(10)")
                    .setting("max_execution_time", 1).setting("max_block_size", 1);
            assertThatThrownBy(() -> admin.loadAndWait(tooLong, null, null))
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.TIMEOUT);
                        assertThat(e.serverErrorCode()).isEqualTo(159); // TIMEOUT_EXCEEDED
                    });
        } finally {
            drop(table);
        }
    }

    @Test
    void aLoadToAServerThatIsNotThereIsUnavailable() throws java.io.IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClickHouse nowhere = HttpClickHouse.administrative(new ClickHouseEndpoint(java.net.URI.create("http://127.0.0.1:" + port),
                "default", "", "default", java.util.Map.of()), Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThatThrownBy(() -> nowhere.loadAndWait(Sql.of("SELECT 1"), null, null))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> nowhere.load(Sql.of("SELECT 1"), null, null).block())
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE));
    }

    @Test
    void aRunningLoadIsStoppedByKillingItsQueryId() {
        String table = loadTable();
        String queryId = "port-kill-" + java.util.UUID.randomUUID();
        try {
            // Ten seconds of work unless stopped.
            Sql slow = Sql.of("INSERT INTO " + table + " (n) SELECT sleepEachRow(0.5) + number FROM numbers(20)")
                    .setting("max_block_size", 1).setting("max_execution_time", 0);
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            var done = new java.util.concurrent.CountDownLatch(1);
            admin.load(slow, queryId, null).subscribe(bytes -> { }, error -> { failure.set(error); done.countDown(); }, done::countDown);
            awaitUntil(() -> running(queryId) == 1);

            admin.kill(List.of(queryId)).block();

            awaitUntil(() -> done.getCount() == 0);
            assertThat(failure.get()).isInstanceOfSatisfying(ClickHouseException.class,
                    killed -> assertThat(killed.serverErrorCode()).isEqualTo(394)); // QUERY_WAS_CANCELLED
            awaitUntil(() -> running(queryId) == 0);
        } finally {
            drop(table);
        }
    }

    private long running(String queryId) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM system.processes WHERE query_id = {id:String}").bind("id", queryId),
                row -> row.getLong("n")).block();
    }

    /** Waits up to 5 s for a condition (the engine works asynchronously); fails if it never holds. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private long rowsOfPypi() {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM pypi"), row -> row.getLong("n")).block();
    }
}
