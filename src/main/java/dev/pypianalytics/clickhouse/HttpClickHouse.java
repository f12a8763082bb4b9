package dev.pypianalytics.clickhouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The {@link ClickHouse} port, the only one: every statement (the API's reads as the read-only API user, and
 * migrations, ingestion with its streamed files, kills, demo data and the CLI as the main user) goes through an
 * instance of it, over ClickHouse's HTTP interface ({@link ClickHouseHttp}, which nothing else sends through);
 * nothing blocks a thread but {@link #loadAndWait}. Each statement carries its query id (within an API request, the
 * request's id, see {@link RequestStatements}), its settings, its typed parameters exactly as the renderer wrote them,
 * a client-side timeout (not a load: see {@link ClickHouse#load}) and the request's cancellation; ClickHouse's own
 * statistics of each query are reported from the result ({@link QueryStatistics}); an instance for the API marks every
 * statement read-only.
 *
 * <p>Results come as {@code FORMAT JSONCompact} with 64-bit integers as JSON numbers. Values are
 * bound as server-side parameters (see {@link ClickHouseHttp#fromSql}), never spliced into the text.
 *
 * <p>Before its first statement the port reads the user's own limits ({@link UserProfile}): for a user
 * that refuses per-statement settings ({@code readonly = 1}, as on a shared public instance) statements go
 * without any, the client-side timeout standing in for {@code max_execution_time}; a result the server may
 * have cut silently ({@code result_overflow_mode = 'break'}) fails as too large instead of being answered.
 * At most {@code maxConcurrent} statements are in flight at once; the rest wait their turn.
 */
public final class HttpClickHouse implements ClickHouse {

    /** Extra client-side time beyond the server's {@code max_execution_time} before we give up waiting. */
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(HttpClickHouse.class);

    /** Of an answer, what the server keeps in memory until the statement ends (the rest goes to a temporary file). */
    static final int RESPONSE_BUFFER_BYTES = 1 << 20;

    /** ClickHouse's TOO_MANY_ROWS_OR_BYTES: what a result the server may have cut is reported as. */
    public static final int RESULT_TOO_LARGE = 396;

    private final ClickHouseHttp http;
    private final Duration defaultTimeout;
    private final boolean readOnly;
    private final Map<String, Object> extraSettings;
    private final BooleanSupplier sendable;
    private final Mono<UserProfile> profile;
    private final InstrumentedPool<Boolean> permits;
    private final boolean batching;

    /**
     * @param http           the HTTP interface (its endpoint's credentials are the ones used)
     * @param defaultTimeout limit of a statement without its own
     * @param readOnly       send {@code readonly = 2} with every statement: ClickHouse then refuses anything
     *                       but reads (and settings changes) whatever the user may do otherwise
     */
    HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly) {
        this(http, defaultTimeout, readOnly, Map.of(), () -> true);
    }

    HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly, Map<String, String> extraSettings,
                   BooleanSupplier sendable) {
        this(http, defaultTimeout, readOnly, extraSettings, sendable, DEFAULT_CONCURRENCY);
    }

    /** Statements in flight at once when not configured. */
    static final int DEFAULT_CONCURRENCY = 16;

    /**
     * The port as the main (administrative) user: migrations, ingestion, demo data, the CLI. Statements may
     * write; their number in flight is not bounded here (the API's port bounds the API's).
     */
    public static HttpClickHouse administrative(ClickHouseEndpoint endpoint, Duration connectTimeout, Duration defaultTimeout) {
        return new HttpClickHouse(new ClickHouseHttp(endpoint, connectTimeout), defaultTimeout, false, Map.of(), () -> true,
                Integer.MAX_VALUE);
    }

    /**
     * @param extraSettings ClickHouse settings for every statement that does not set them itself (the
     *                      operator's, e.g. {@code max_threads}); checked like any statement's settings
     * @param sendable      whether statements may be sent now: not while the embedded engine is restarting (its
     *                      port may even belong to another process then); they fail at once as UNAVAILABLE
     * @param maxConcurrent most statements in flight at once
     */
    HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly, Map<String, String> extraSettings,
                   BooleanSupplier sendable, int maxConcurrent) {
        this(http, defaultTimeout, readOnly, extraSettings, sendable, maxConcurrent, false);
    }

    /**
     * @param batching send the statements one request asks at once as one statement ({@link StatementBatch})
     */
    HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly, Map<String, String> extraSettings,
                   BooleanSupplier sendable, int maxConcurrent, boolean batching) {
        this.batching = batching;
        this.http = http;
        this.sendable = sendable;
        this.defaultTimeout = defaultTimeout;
        this.readOnly = readOnly;
        Sql checked = Sql.of("");
        for (Map.Entry<String, String> setting : extraSettings.entrySet()) {
            checked = checked.setting(setting.getKey(), setting.getValue());
        }
        this.extraSettings = checked.settings();
        // Permits, not connections: whichever statement holds one may send; cancelling a waiting or running
        // statement gives its permit back (the pool's own bookkeeping, safe against cancel/grant races).
        this.permits = maxConcurrent == Integer.MAX_VALUE ? null
                : PoolBuilder.from(Mono.just(Boolean.TRUE)).sizeBetween(0, maxConcurrent).maxPendingAcquireUnbounded().buildPool();
        // Read once, before the first statement; a failed read (server down) is not kept.
        this.profile = Mono.defer(() -> sendable.getAsBoolean() ? bounded(http.sendAsync(
                        ClickHouseHttp.Statement.of(UserProfile.PROBE.text() + "\nFORMAT JSONCompact")), defaultTimeout)
                        : Mono.error(notRunning()))
                .map(response -> UserProfile.of(parse(response, null, UserProfile.OPEN).rows().getFirst()))
                .doOnNext(this::reportProfile)
                .cache(found -> Duration.ofDays(3650), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    private void reportProfile(UserProfile found) {
        if (found.settingsLocked()) {
            log.info("ClickHouse user {} is readonly = 1: statements are sent without settings (the server's own limits apply{})",
                    endpoint().user(), extraSettings.isEmpty() ? "" : "; pypi.clickhouse.api.settings " + extraSettings.keySet() + " are not sent");
        }
        if (found.overflowBreaks() && (found.maxResultRows() > 0 || found.maxResultBytes() > 0)) {
            log.info("ClickHouse user {} cuts results past {} rows / {} bytes without an error (result_overflow_mode = 'break'): "
                    + "longer results are refused as too large", endpoint().user(), found.maxResultRows(), found.maxResultBytes());
        }
    }

    /** The connection user's own limits, read from the server once. */
    public Mono<UserProfile> profile() {
        return profile;
    }

    public ClickHouseEndpoint endpoint() {
        return http.endpoint();
    }

    @Override
    public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
        return Mono.deferContextual(context -> {
            Optional<RequestStatements> request = RequestStatements.of(context);
            if (request.isEmpty()) {
                return send(sql, null, context).doOnNext(answer -> report(answer, false, context));
            }
            // Identical statements of one request (the same question asked by several fields) are sent once; each
            // asker that listens hears of the query, the later ones as sharing it.
            boolean[] sentHere = {false};
            Mono<Answer> answer = request.get().once(sql, () -> {
                sentHere[0] = true;
                return batching && !QueryStatistics.wanted(context) ? batched(sql, request.get(), context) : send(sql, request.get(), context);
            });
            return answer.doOnNext(found -> report(found, !sentHere[0], context));
        }).flatMapIterable(Answer::rows).map(mapper);
    }

    /**
     * The statement in its request's batch ({@link StatementBatch}: the statements asked together go as one), for
     * a user whose results and settings are its own to decide; alone otherwise.
     */
    private Mono<Answer> batched(Sql sql, RequestStatements request, ContextView context) {
        return profile.flatMap(user -> user.settingsLocked() || user.overflowBreaks() ? send(sql, request, context)
                : request.batch(() -> new StatementBatch(alone -> send(alone, request, context),
                        union -> send(union, request, context).map(Answer::rows))).add(sql));
    }

    /** A statement's rows and what ClickHouse reported about running it. */
    record Answer(List<ResultRow> rows, QueryStatistics statistics) {
    }

    /** Rows written by {@code formatRow('JSONEachRow', ...)}: a JSON object each, the columns in the same order in every row. */
    static List<ResultRow> rowsOf(List<String> jsonRows) {
        List<ResultRow> rows = new ArrayList<>(jsonRows.size());
        Map<String, Integer> columns = null;
        boolean[] wideIntegers = null;
        for (String text : jsonRows) {
            JsonNode object = JSON.readTree(text);
            if (columns == null) {
                columns = new HashMap<>();
                for (String name : object.propertyNames()) {
                    columns.put(name, columns.size());
                }
                wideIntegers = new boolean[columns.size()];
            }
            tools.jackson.databind.node.ArrayNode values = JSON.createArrayNode();
            object.values().forEach(values::add);
            rows.add(new Row(columns, wideIntegers, values));
        }
        return rows;
    }

    private static void report(Answer answer, boolean shared, ContextView context) {
        QueryStatistics statistics = answer.statistics();
        QueryStatistics.listener(context).ifPresent(listener -> listener.accept(new QueryStatistics(statistics.queryId(),
                statistics.rowsRead(), statistics.bytesRead(), statistics.elapsedMillis(), shared)));
    }

    private Mono<Answer> send(Sql sql, RequestStatements request, ContextView context) {
        if (request != null && request.isCancelled()) {
            return Mono.error(cancelled());
        }
        if (!sendable.getAsBoolean()) {
            return Mono.error(notRunning());
        }
        Duration limit = sql.timeout() != null ? sql.timeout() : defaultTimeout;
        return cancellable(profile.flatMap(user -> {
            ClickHouseHttp.Statement statement = statement(sql, limit, user);
            String queryId = request == null ? null : request.nextQueryId();
            ClickHouseHttp.Statement sent = new ClickHouseHttp.Statement(statement.text() + "\nFORMAT JSONCompact",
                    statement.parameters(), statement.settings(), queryId, null, null);
            if (log.isDebugEnabled()) {
                // For operators and the benchmark (which replays these straight to ClickHouse); never to clients.
                log.debug("statement {}", JSON.writeValueAsString(Map.of("id", queryId == null ? "" : queryId, "query", sent.text(),
                        "params", sent.parameters(), "settings", sent.settings())));
            }
            return permitted(bounded(http.sendAsync(sent), limit)).map(response -> parse(response, queryId, user));
        }), request);
    }

    /** Sends when a permit is free, gives it back however the statement ends (answer, error, cancel). */
    private <T> Mono<T> permitted(Mono<T> sending) {
        return permits == null ? sending : permits.withPoolable(permit -> sending).next();
    }

    @Override
    public Mono<Void> execute(Sql sql) {
        Duration limit = sql.timeout() != null ? sql.timeout() : defaultTimeout;
        return Mono.deferContextual(context -> {
            RequestStatements request = RequestStatements.of(context).orElse(null);
            if (request != null && request.isCancelled()) {
                return Mono.error(cancelled());
            }
            if (!sendable.getAsBoolean()) {
                return Mono.error(notRunning());
            }
            return cancellable(profile.flatMap(user -> permitted(bounded(http.sendAsync(statement(sql, limit, user)
                    .queryId(request == null ? null : request.nextQueryId())), limit))), request);
        }).then();
    }

    @Override
    public Mono<byte[]> load(Sql sql, String queryId, Body body) {
        return Mono.defer(() -> sendable.getAsBoolean() ? http.sendAsync(asWritten(sql, queryId, body)) : Mono.error(notRunning()))
                .map(HttpResponse::body);
    }

    @Override
    public byte[] loadAndWait(Sql sql, String queryId, Body body) {
        if (!sendable.getAsBoolean()) {
            throw notRunning();
        }
        return http.runForBytes(asWritten(sql, queryId, body));
    }

    @Override
    public Mono<Void> kill(Collection<String> queryIds) {
        return load(Sql.of("KILL QUERY WHERE query_id IN {ids:Array(String)} ASYNC FORMAT Null").bind("ids", List.copyOf(queryIds)),
                null, null).then();
    }

    /**
     * A statement of {@link #load}: its own settings (and the operator's, and {@code readonly = 2} for the API's port),
     * none of the port's own for reads; the data, if any, as the request body.
     */
    private ClickHouseHttp.Statement asWritten(Sql sql, String queryId, Body body) {
        ClickHouseHttp.Statement statement = ClickHouseHttp.fromSql(withExtras(sql)).queryId(queryId);
        if (readOnly) {
            statement = statement.setting("readonly", 2);
        }
        return body == null ? statement : statement.body(body.publisher(), body.encoding());
    }

    /**
     * The statement ends when its request is cancelled: the HTTP request is aborted (ClickHouse cancels a
     * read-only query whose client went away; the request's cancellation also kills it by id).
     */
    private static <T> Mono<T> cancellable(Mono<T> sent, RequestStatements request) {
        return request == null ? sent : Mono.firstWithSignal(sent, request.whenCancelled().then(Mono.error(HttpClickHouse::cancelled)));
    }

    private ClickHouseException notRunning() {
        return new ClickHouseException(ClickHouseException.Kind.UNAVAILABLE, "ClickHouse at " + endpoint().describe()
                + " is not running (restarting)", 0, null);
    }

    private static ClickHouseException cancelled() {
        return new ClickHouseException(ClickHouseException.Kind.CANCELLED, "The request was cancelled (timeout or client gone)", 0, null);
    }

    /** The client gives up a little after the server's own limit, with a TIMEOUT-kind error. */
    private <T> Mono<T> bounded(Mono<T> sent, Duration limit) {
        return sent.timeout(limit.plus(CLIENT_GRACE))
                .onErrorMap(java.util.concurrent.TimeoutException.class, timeout -> new ClickHouseException(
                        ClickHouseException.Kind.TIMEOUT, "ClickHouse statement timed out at " + endpoint().describe(), 0, timeout));
    }

    private ClickHouseHttp.Statement statement(Sql sql, Duration limit, UserProfile user) {
        if (user.settingsLocked()) {
            // The server refuses any setting with the statement (even one equal to its own value); its own
            // profile bounds the statement, the client-side timeout (bounded) bounds our wait, and the
            // statement's request cancellation kills it by id. 64-bit integers come quoted: ResultRow reads both.
            return ClickHouseHttp.fromSql(sql.withoutSettings());
        }
        ClickHouseHttp.Statement statement = ClickHouseHttp.fromSql(withExtras(sql))
                .setting("output_format_json_quote_64bit_integers", 0)
                .setting("output_format_json_quote_denormals", 0)
                // A query whose client went away (cancelled request, timeout) stops on the server too.
                .setting("cancel_http_readonly_queries_on_client_close", 1)
                // The whole (small, aggregated) result is ready before the answer starts, so a failure
                // is an HTTP error with its code, never a half-sent 200...
                .setting("wait_end_of_query", 1)
                // ...kept in the server's memory meanwhile: without it every answer is written to a temporary
                // file first (~12 % of the engine's CPU for a package page's small statements, see issue 16's note).
                .setting("http_response_buffer_size", RESPONSE_BUFFER_BYTES);
        if (!sql.settings().containsKey("max_execution_time")) {
            statement = statement.setting("max_execution_time", Math.max(1, (limit.toMillis() + 999) / 1000));
        }
        return readOnly ? statement.setting("readonly", 2) : statement;
    }

    /** The operator's settings added where the statement does not set them itself. */
    private Sql withExtras(Sql sql) {
        Sql withExtras = sql;
        for (Map.Entry<String, Object> setting : extraSettings.entrySet()) {
            if (!sql.settings().containsKey(setting.getKey())) {
                withExtras = withExtras.setting(setting.getKey(), setting.getValue());
            }
        }
        return withExtras;
    }

    private static Answer parse(HttpResponse<byte[]> response, String queryId, UserProfile user) {
        JsonNode result;
        try {
            result = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            // ClickHouse had already sent 200 when the query failed (a user whose settings are locked gets no
            // wait_end_of_query): the error text ends the body.
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            throw ClickHouseHttp.serverError(ClickHouseHttp.errorCodeIn(body),
                    "ClickHouse failed while sending a result: " + body.substring(Math.max(0, body.length() - 2000)).strip(), e);
        }
        if (result.has("exception")) {
            String message = result.get("exception").asString();
            throw ClickHouseHttp.serverError(ClickHouseHttp.errorCodeIn(message), "ClickHouse failed while sending a result: " + message, null);
        }
        JsonNode statistics = result.path("statistics");
        QueryStatistics reported = new QueryStatistics(queryId, statistics.path("rows_read").asLong(), statistics.path("bytes_read").asLong(),
                statistics.path("elapsed").asDouble() * 1000.0, false);
        Map<String, Integer> columns = new HashMap<>();
        JsonNode meta = result.path("meta");
        boolean[] wideIntegers = new boolean[meta.size()];
        for (int i = 0; i < meta.size(); i++) {
            columns.put(meta.get(i).path("name").asString(), i);
            wideIntegers[i] = WIDE_INTEGER.matcher(meta.get(i).path("type").asString()).matches();
        }
        JsonNode data = result.path("data");
        if (user.mayHaveCut(data.size(), response.body().length)) {
            // As if the user's overflow mode were 'throw': ClickHouse's TOO_MANY_ROWS_OR_BYTES.
            throw new ClickHouseException(ClickHouseException.Kind.QUERY, "The result (" + data.size() + " rows, "
                    + response.body().length + " bytes of JSON) is past the user's max_result_rows/max_result_bytes with "
                    + "result_overflow_mode = 'break': the server may have cut it; refused", RESULT_TOO_LARGE, null);
        }
        List<ResultRow> rows = new ArrayList<>(data.size());
        for (JsonNode values : data) {
            rows.add(new Row(columns, wideIntegers, values));
        }
        return new Answer(rows, reported);
    }

    /**
     * 64-bit and wider integer types: JSON strings when the server's {@code output_format_json_quote_64bit_integers}
     * is on (its default, and what a user who may not change settings gets).
     */
    private static final java.util.regex.Pattern WIDE_INTEGER =
            java.util.regex.Pattern.compile("(Nullable\\()?U?Int(64|128|256)\\)?");

    /** One row of a {@code JSONCompact} result. */
    private record Row(Map<String, Integer> columns, boolean[] wideIntegers, JsonNode values) implements ResultRow {

        @Override
        public long estimatedBytes() {
            // A node and its text per value; the column map is shared by the rows of a result.
            long bytes = 64;
            for (JsonNode value : values) {
                bytes += 48 + (value.isString() ? 2L * value.asString().length() : 16);
            }
            return bytes;
        }

        private JsonNode value(String column) {
            Integer index = columns.get(column);
            if (index == null) {
                throw new IllegalArgumentException("no column " + column + " in the result");
            }
            return values.get(index);
        }

        @Override
        public long getLong(String column) {
            JsonNode value = value(column);
            if (value.isNull()) {
                throw new IllegalStateException("column " + column + " is NULL");
            }
            return value.isNumber() ? value.longValue() : Long.parseLong(value.asString());
        }

        @Override
        public long[] getLongs(String column) {
            JsonNode value = value(column);
            long[] values = new long[value.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode element = value.get(i);
                values[i] = element.isNumber() ? element.longValue() : Long.parseLong(element.asString());
            }
            return values;
        }

        @Override
        public String getString(String column) {
            JsonNode value = value(column);
            return value.isNull() ? null : value.isString() ? value.asString() : value.toString();
        }

        @Override
        public LocalDate getDate(String column) {
            JsonNode value = value(column);
            return value.isNull() ? null : LocalDate.parse(value.asString());
        }

        @Override
        public Object get(String column) {
            JsonNode value = value(column);
            if (value.isNull()) {
                return null;
            }
            if (value.isIntegralNumber()) {
                return value.longValue();
            }
            if (wideIntegers[columns.get(column)] && value.isString()) {
                return Long.parseLong(value.asString());
            }
            if (value.isNumber()) {
                return value.doubleValue();
            }
            if (value.isArray()) {
                List<String> elements = new ArrayList<>(value.size());
                value.forEach(element -> elements.add(element.isString() ? element.asString() : element.toString()));
                return elements;
            }
            return value.isString() ? value.asString() : value.toString();
        }
    }
}
