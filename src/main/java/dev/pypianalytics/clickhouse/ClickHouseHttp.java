package dev.pypianalytics.clickhouse;

import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ClickHouse's HTTP interface: the one transport to ClickHouse, used by {@link HttpClickHouse} only (the port every
 * statement goes through: API reads, migrations, ingestion, kills, including the long statements of ingestion
 * that carry a request body: data streamed into {@code input()}, with a query id to follow progress in
 * {@code system.processes} and to cancel). Values travel only as server-side {@code {name:Type}} parameters
 * ({@code param_name}), never inside the statement text. Server errors and transport failures are mapped to
 * {@link ClickHouseException} here, once.
 */
final class ClickHouseHttp {

    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ClickHouseEndpoint endpoint;
    private final HttpClient client;
    private final String authorization;

    public ClickHouseHttp(ClickHouseEndpoint endpoint, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (endpoint.user() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8));
    }

    public ClickHouseEndpoint endpoint() {
        return endpoint;
    }

    /**
     * One statement.
     *
     * @param text       SQL with {@code {name:Type}} parameters
     * @param parameters parameter name → value (sent as {@code param_name})
     * @param settings   ClickHouse settings for this statement
     * @param queryId    the statement's query id (unique), or {@code null}
     * @param body       request body ({@code input()} data) or {@code null}
     * @param encoding   {@code Content-Encoding} of the body ({@code gzip}, {@code zstd}) or {@code null}
     */
    public record Statement(String text, Map<String, String> parameters, Map<String, Object> settings, String queryId,
                            HttpRequest.BodyPublisher body, String encoding) {

        public Statement {
            parameters = Map.copyOf(parameters);
            settings = Map.copyOf(settings);
            parameters.keySet().forEach(name -> {
                if (!PARAMETER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("parameter name must be an identifier: " + name);
                }
            });
        }

        public static Statement of(String text) {
            return new Statement(text, Map.of(), Map.of(), null, null, null);
        }

        public Statement param(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(parameters);
            copy.put(name, value);
            return new Statement(text, copy, settings, queryId, body, encoding);
        }

        public Statement setting(String name, Object value) {
            Map<String, Object> copy = new LinkedHashMap<>(settings);
            copy.put(name, value);
            return new Statement(text, parameters, copy, queryId, body, encoding);
        }

        public Statement queryId(String id) {
            return new Statement(text, parameters, settings, id, body, encoding);
        }

        public Statement body(HttpRequest.BodyPublisher data, String contentEncoding) {
            return new Statement(text, parameters, settings, queryId, data, contentEncoding);
        }
    }

    /**
     * The same statement for the HTTP interface, its text exactly as rendered: each bound value becomes the
     * server-side parameter {@code param_name} of its {@code {name:Type}} placeholder (the server parses it as
     * that type); settings travel as URL settings. Values stay parameters, never text.
     */
    public static Statement fromSql(Sql sql) {
        Map<String, String> parameters = new LinkedHashMap<>();
        sql.checkedParameters().bindings().forEach((name, value) -> parameters.put(name, parameterValue(value)));
        return new Statement(sql.text(), parameters, sql.settings(), null, null, null);
    }

    /**
     * A value as the text of a query parameter: the server reads it in its escaped text format (as a TSV
     * field), so a backslash, tab or line break inside a string is escaped; an array is a literal of quoted
     * elements (numbers bare), read as it is; {@code \N} is NULL.
     */
    static String parameterValue(Object value) {
        if (value instanceof Sql.NullValue) {
            return "\\N";
        }
        if (value instanceof java.util.Collection<?> values) {
            StringBuilder array = new StringBuilder("[");
            for (Object element : values) {
                array.append(array.length() > 1 ? "," : "");
                if (element instanceof Number) {
                    array.append(element);
                } else {
                    array.append('\'').append(element.toString().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
                }
            }
            return array.append(']').toString();
        }
        if (value instanceof Number || value instanceof java.time.LocalDate || value instanceof String) {
            return escaped(value.toString());
        }
        if (value instanceof Boolean flag) {
            return flag ? "true" : "false";
        }
        throw new IllegalArgumentException("cannot send a " + value.getClass().getSimpleName() + " as a query parameter");
    }

    private static String escaped(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('\t') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    /** Runs the statement and returns the response body (the result in the statement's FORMAT, if any). */
    public String run(Statement statement) {
        return new String(runForBytes(statement), StandardCharsets.UTF_8);
    }

    /** Runs the statement and returns the raw response body (binary formats such as Parquet). */
    public byte[] runForBytes(Statement statement) {
        return send(statement).body();
    }

    private HttpResponse<byte[]> send(Statement statement) {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request(statement), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw transportFailure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(ClickHouseException.Kind.TIMEOUT, "Interrupted while waiting for ClickHouse", 0, e);
        }
        return checked(response);
    }

    /**
     * The statement sent without blocking a thread; fails with a {@link ClickHouseException}. Cancelling
     * the subscription aborts the request (and ClickHouse cancels a read-only query whose client went
     * away).
     */
    public Mono<HttpResponse<byte[]>> sendAsync(Statement statement) {
        return Mono.fromFuture(() -> client.sendAsync(request(statement), HttpResponse.BodyHandlers.ofByteArray()))
                .onErrorMap(IOException.class, this::transportFailure)
                .map(ClickHouseHttp::checked);
    }

    private HttpRequest request(Statement statement) {
        StringBuilder uri = new StringBuilder(endpoint.url().toString().replaceAll("/+$", "")).append("/?");
        Map<String, String> query = new LinkedHashMap<>();
        if (endpoint.database() != null && !endpoint.database().isBlank()) {
            query.put("database", endpoint.database());
        }
        if (statement.queryId() != null) {
            query.put("query_id", statement.queryId());
        }
        statement.settings().forEach((name, value) -> query.put(name, value instanceof Boolean flag ? (flag ? "1" : "0") : value.toString()));
        statement.parameters().forEach((name, value) -> query.put("param_" + name, value));
        HttpRequest.BodyPublisher body;
        if (statement.body() == null) {
            // The statement is the body.
            body = HttpRequest.BodyPublishers.ofString(statement.text(), StandardCharsets.UTF_8);
        } else {
            // The data is the body; the statement goes into the URL.
            query.put("query", statement.text());
            body = statement.body();
        }
        String separator = "";
        for (Map.Entry<String, String> entry : query.entrySet()) {
            uri.append(separator).append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
            separator = "&";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .POST(body)
                .header("Authorization", authorization);
        if (statement.encoding() != null) {
            request.header("Content-Encoding", statement.encoding());
        }
        return request.build();
    }

    private ClickHouseException transportFailure(IOException e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new ClickHouseException(ClickHouseException.Kind.UNAVAILABLE,
                    "ClickHouse is unreachable at " + endpoint.describe() + ": " + e.getMessage(), 0, e);
        }
        return new ClickHouseException(ClickHouseException.Kind.UNAVAILABLE,
                "Lost the connection to ClickHouse at " + endpoint.describe() + ": " + e.getMessage(), 0, e);
    }

    private static HttpResponse<byte[]> checked(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            int code = response.headers().firstValue("X-ClickHouse-Exception-Code").map(ClickHouseHttp::parseCode)
                    .orElse(0);
            String message = new String(response.body(), StandardCharsets.UTF_8).strip();
            throw serverError(code != 0 ? code : errorCodeIn(message), "ClickHouse rejected a statement: " + message, null);
        }
        return response;
    }

    /** ClickHouse's TIMEOUT_EXCEEDED. */
    private static final int TIMEOUT_EXCEEDED = 159;
    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)\\.");

    /**
     * The one mapping of a server's error to ours: {@code TIMEOUT_EXCEEDED} is a TIMEOUT, any other code a QUERY
     * failure (transport failures are UNAVAILABLE, see {@link #transportFailure}; client-side limits and
     * cancellation are mapped by the port).
     */
    static ClickHouseException serverError(int code, String message, Throwable cause) {
        return new ClickHouseException(code == TIMEOUT_EXCEEDED ? ClickHouseException.Kind.TIMEOUT : ClickHouseException.Kind.QUERY,
                message, code, cause);
    }

    /** The code in ClickHouse's error text ({@code Code: 62. DB::Exception: ...}), or 0; for errors without the header. */
    static int errorCodeIn(String text) {
        java.util.regex.Matcher code = ERROR_CODE.matcher(text);
        return code.find() ? parseCode(code.group(1)) : 0;
    }

    private static int parseCode(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
