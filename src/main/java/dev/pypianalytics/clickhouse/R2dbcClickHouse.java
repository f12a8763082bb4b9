package dev.pypianalytics.clickhouse;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link ClickHouse} over clickhouse-r2dbc's HTTP transport, with a hand-built {@link DatabaseClient}:
 * Spring cannot pick bind markers for ClickHouse by itself, so {@code :name} markers are declared here.
 */
public final class R2dbcClickHouse implements ClickHouse {

    /** ClickHouse error codes we classify. */
    private static final int TIMEOUT_EXCEEDED = 159;
    private static final int SOCKET_TIMEOUT = 209;
    private static final int NETWORK_ERROR = 210;

    /** Extra client-side time beyond the server's {@code max_execution_time} before we give up waiting. */
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(5);

    private final DatabaseClient client;
    private final ClickHouseEndpoint endpoint;
    private final Duration defaultTimeout;

    public R2dbcClickHouse(ClickHouseEndpoint endpoint, Duration connectTimeout, Duration defaultTimeout) {
        this.endpoint = endpoint;
        this.defaultTimeout = defaultTimeout;
        this.client = DatabaseClient.builder()
                .connectionFactory(connectionFactory(endpoint, connectTimeout))
                .bindMarkers(BindMarkersFactory.named(":", "p", 32))
                .namedParameters(true)
                .build();
    }

    static ConnectionFactory connectionFactory(ClickHouseEndpoint endpoint, Duration connectTimeout) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "clickhouse")
                .option(ConnectionFactoryOptions.PROTOCOL, "http")
                .option(ConnectionFactoryOptions.SSL, endpoint.secure())
                .option(ConnectionFactoryOptions.HOST, endpoint.url().getHost())
                .option(ConnectionFactoryOptions.PORT, endpoint.port())
                .option(ConnectionFactoryOptions.USER, endpoint.user())
                .option(ConnectionFactoryOptions.PASSWORD, endpoint.password())
                .option(Option.valueOf("connect_timeout"), String.valueOf(connectTimeout.toMillis()))
                // Long statements (ingestion, demo data) are bounded per statement by the port's own
                // timeout and the server's max_execution_time, not by the socket.
                .option(Option.valueOf("socket_timeout"), String.valueOf(Duration.ofHours(6).toMillis()));
        if (endpoint.database() != null && !endpoint.database().isBlank()) {
            options.option(ConnectionFactoryOptions.DATABASE, endpoint.database());
        }
        endpoint.options().forEach((key, value) -> options.option(Option.valueOf(key), value));
        return ConnectionFactories.get(options.build());
    }

    public ClickHouseEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
        Sql bounded = withServerTimeout(sql);
        return spec(bounded)
                .map((row, metadata) -> mapper.apply(new Row(row)))
                .all()
                .timeout(clientTimeout(bounded))
                .onErrorMap(error -> !(error instanceof ClickHouseException), this::translate);
    }

    @Override
    public Mono<Void> execute(Sql sql) {
        return spec(sql)
                .then()
                .timeout(clientTimeout(sql))
                .onErrorMap(error -> !(error instanceof ClickHouseException), this::translate);
    }

    private DatabaseClient.GenericExecuteSpec spec(Sql sql) {
        DatabaseClient.GenericExecuteSpec spec = client.sql(sql.renderedText());
        for (Map.Entry<String, Object> binding : sql.bindings().entrySet()) {
            spec = binding.getValue() instanceof Sql.NullValue nothing
                    ? spec.bindNull(binding.getKey(), nothing.type())
                    : spec.bind(binding.getKey(), binding.getValue());
        }
        return spec;
    }

    /** Queries carry {@code max_execution_time} so the server stops work the client stopped waiting for. */
    private Sql withServerTimeout(Sql sql) {
        if (sql.settings().containsKey("max_execution_time")) {
            return sql;
        }
        Duration limit = sql.timeout() != null ? sql.timeout() : defaultTimeout;
        return sql.setting("max_execution_time", Math.max(1, (limit.toMillis() + 999) / 1000));
    }

    private Duration clientTimeout(Sql sql) {
        return (sql.timeout() != null ? sql.timeout() : defaultTimeout).plus(CLIENT_GRACE);
    }

    ClickHouseException translate(Throwable error) {
        int code = serverErrorCode(error);
        if (error instanceof TimeoutException || code == TIMEOUT_EXCEEDED || code == SOCKET_TIMEOUT
                || hasCause(error, SocketTimeoutException.class)) {
            return new ClickHouseException(ClickHouseException.Kind.TIMEOUT,
                    "ClickHouse statement timed out at " + endpoint.describe(), code, error);
        }
        if (hasCause(error, ConnectException.class) || hasCause(error, UnknownHostException.class)
                || hasCause(error, NoRouteToHostException.class) || hasCause(error, java.net.http.HttpConnectTimeoutException.class)
                || (code == NETWORK_ERROR && rootMessage(error).contains("onnect"))) {
            return new ClickHouseException(ClickHouseException.Kind.UNAVAILABLE,
                    "ClickHouse is unreachable at " + endpoint.describe() + ": " + rootMessage(error), code, error);
        }
        return new ClickHouseException(ClickHouseException.Kind.QUERY,
                "ClickHouse rejected a statement: " + rootMessage(error), code, error);
    }

    private static int serverErrorCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof com.clickhouse.client.ClickHouseException ch) {
                return ch.getErrorCode();
            }
        }
        return 0;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.strip();
    }

    /** Reads driver values into the port's types: every integer width becomes {@code long}. */
    private record Row(Readable row) implements ResultRow {

        @Override
        public long getLong(String column) {
            Object value = row.get(column);
            if (value == null) {
                throw new IllegalStateException("column " + column + " is NULL");
            }
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof Number number) {
                return number.longValue();
            }
            return Long.parseLong(value.toString());
        }

        @Override
        public String getString(String column) {
            Object value = row.get(column);
            return value == null ? null : value.toString();
        }

        @Override
        public LocalDate getDate(String column) {
            Object value = row.get(column);
            if (value == null || value instanceof LocalDate) {
                return (LocalDate) value;
            }
            return LocalDate.parse(value.toString());
        }

        @Override
        public Object get(String column) {
            return row.get(column);
        }
    }
}
