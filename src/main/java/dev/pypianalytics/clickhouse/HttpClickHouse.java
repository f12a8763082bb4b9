package dev.pypianalytics.clickhouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * {@link ClickHouse} over the HTTP interface directly, without blocking a thread: the port the API's
 * queries go through. Compared with the r2dbc driver it sends each statement with a query id (the API
 * request's id, see {@link RequestStatements}), reports ClickHouse's own statistics of each query
 * ({@link QueryStatistics}) from the result itself, and can mark every statement read-only.
 *
 * <p>Results come as {@code FORMAT JSONCompact} with 64-bit integers as JSON numbers. Values are
 * bound as server-side parameters (see {@link ClickHouseHttp#fromSql}), never spliced into the text.
 */
public final class HttpClickHouse implements ClickHouse {

    /** Extra client-side time beyond the server's {@code max_execution_time} before we give up waiting. */
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(HttpClickHouse.class);

    private final ClickHouseHttp http;
    private final Duration defaultTimeout;
    private final boolean readOnly;
    private final Map<String, Object> extraSettings;
    private final BooleanSupplier sendable;

    /**
     * @param http           the HTTP interface (its endpoint's credentials are the ones used)
     * @param defaultTimeout limit of a statement without its own
     * @param readOnly       send {@code readonly = 2} with every statement: ClickHouse then refuses anything
     *                       but reads (and settings changes) whatever the user may do otherwise
     */
    public HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly) {
        this(http, defaultTimeout, readOnly, Map.of(), () -> true);
    }

    /**
     * @param extraSettings ClickHouse settings for every statement that does not set them itself (the
     *                      operator's, e.g. {@code max_threads}); checked like any statement's settings
     * @param sendable      whether statements may be sent now: not while the embedded engine is restarting (its
     *                      port may even belong to another process then); they fail at once as UNAVAILABLE
     */
    public HttpClickHouse(ClickHouseHttp http, Duration defaultTimeout, boolean readOnly, Map<String, String> extraSettings,
                          BooleanSupplier sendable) {
        this.http = http;
        this.sendable = sendable;
        this.defaultTimeout = defaultTimeout;
        this.readOnly = readOnly;
        Sql checked = Sql.of("");
        for (Map.Entry<String, String> setting : extraSettings.entrySet()) {
            checked = checked.setting(setting.getKey(), setting.getValue());
        }
        this.extraSettings = checked.settings();
    }

    public ClickHouseEndpoint endpoint() {
        return http.endpoint();
    }

    @Override
    public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
        return Mono.deferContextual(context -> {
            Optional<RequestStatements> request = RequestStatements.of(context);
            if (request.isEmpty()) {
                return send(sql, null, context);
            }
            // Identical statements of one request (the same question asked by several fields) are sent once.
            return request.get().once(sql, () -> send(sql, request.get(), context));
        }).flatMapIterable(result -> result).map(mapper);
    }

    private Mono<List<ResultRow>> send(Sql sql, RequestStatements request, ContextView context) {
        if (request != null && request.isCancelled()) {
            return Mono.error(cancelled());
        }
        if (!sendable.getAsBoolean()) {
            return Mono.error(notRunning());
        }
        Duration limit = sql.timeout() != null ? sql.timeout() : defaultTimeout;
        ClickHouseHttp.Statement statement = statement(sql, limit);
        String queryId = request == null ? null : request.nextQueryId();
        ClickHouseHttp.Statement sent = new ClickHouseHttp.Statement(statement.text() + "\nFORMAT JSONCompact",
                statement.parameters(), statement.settings(), queryId, null, null);
        if (log.isDebugEnabled()) {
            // For operators and the benchmark (which replays these straight to ClickHouse); never to clients.
            log.debug("statement {}", JSON.writeValueAsString(Map.of("id", queryId == null ? "" : queryId, "query", sent.text(),
                    "params", sent.parameters(), "settings", sent.settings())));
        }
        return cancellable(bounded(http.sendAsync(sent), limit), request).map(response -> parse(response, queryId, context));
    }

    @Override
    public Mono<Void> execute(Sql sql) {
        Duration limit = sql.timeout() != null ? sql.timeout() : defaultTimeout;
        ClickHouseHttp.Statement statement = statement(sql, limit);
        return Mono.deferContextual(context -> {
            RequestStatements request = RequestStatements.of(context).orElse(null);
            if (request != null && request.isCancelled()) {
                return Mono.error(cancelled());
            }
            if (!sendable.getAsBoolean()) {
                return Mono.error(notRunning());
            }
            return cancellable(bounded(http.sendAsync(statement.queryId(request == null ? null : request.nextQueryId())), limit), request);
        }).then();
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

    private ClickHouseHttp.Statement statement(Sql sql, Duration limit) {
        Sql withExtras = sql;
        for (Map.Entry<String, Object> setting : extraSettings.entrySet()) {
            if (!sql.settings().containsKey(setting.getKey())) {
                withExtras = withExtras.setting(setting.getKey(), setting.getValue());
            }
        }
        ClickHouseHttp.Statement statement = ClickHouseHttp.fromSql(withExtras)
                .setting("output_format_json_quote_64bit_integers", 0)
                .setting("output_format_json_quote_denormals", 0)
                // A query whose client went away (cancelled request, timeout) stops on the server too.
                .setting("cancel_http_readonly_queries_on_client_close", 1)
                // The whole (small, aggregated) result is ready before the answer starts, so a failure
                // is an HTTP error with its code, never a half-sent 200.
                .setting("wait_end_of_query", 1);
        if (!sql.settings().containsKey("max_execution_time")) {
            statement = statement.setting("max_execution_time", Math.max(1, (limit.toMillis() + 999) / 1000));
        }
        return readOnly ? statement.setting("readonly", 2) : statement;
    }

    private static List<ResultRow> parse(HttpResponse<byte[]> response, String queryId, ContextView context) {
        JsonNode result;
        try {
            result = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            // ClickHouse had already sent 200 when the query failed: the error text ends the body.
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            int code = body.matches("(?s).*Code: (\\d+)\\..*") ? Integer.parseInt(body.replaceAll("(?s).*Code: (\\d+)\\..*", "$1")) : 0;
            throw new ClickHouseException(ClickHouseException.Kind.QUERY,
                    "ClickHouse failed while sending a result: " + body.substring(Math.max(0, body.length() - 2000)).strip(), code, e);
        }
        if (result.has("exception")) {
            String message = result.get("exception").asString();
            int code = message.matches("(?s).*Code: (\\d+)\\..*") ? Integer.parseInt(message.replaceAll("(?s).*Code: (\\d+)\\..*", "$1")) : 0;
            throw new ClickHouseException(code == 159 ? ClickHouseException.Kind.TIMEOUT : ClickHouseException.Kind.QUERY,
                    "ClickHouse failed while sending a result: " + message, code, null);
        }
        JsonNode statistics = result.path("statistics");
        QueryStatistics.listener(context).ifPresent(listener -> listener.accept(new QueryStatistics(queryId,
                statistics.path("rows_read").asLong(), statistics.path("bytes_read").asLong(),
                statistics.path("elapsed").asDouble() * 1000.0)));
        Map<String, Integer> columns = new HashMap<>();
        JsonNode meta = result.path("meta");
        for (int i = 0; i < meta.size(); i++) {
            columns.put(meta.get(i).path("name").asString(), i);
        }
        JsonNode data = result.path("data");
        List<ResultRow> rows = new ArrayList<>(data.size());
        for (JsonNode values : data) {
            rows.add(new Row(columns, values));
        }
        return rows;
    }

    /** One row of a {@code JSONCompact} result. */
    private record Row(Map<String, Integer> columns, JsonNode values) implements ResultRow {

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
