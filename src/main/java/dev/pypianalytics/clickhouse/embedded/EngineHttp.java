package dev.pypianalytics.clickhouse.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One request to the engine's HTTP interface as its passwordless loopback {@code default} user, on a
 * connection closed right after the answer. Idle connections matter here: once its serving query is
 * cancelled, ClickHouse waits about 5 s for open connections to go away and then ends the process
 * forcefully (exit code 1) instead of returning. So the engine's own lifecycle requests (pings, the
 * stop) never leave one behind.
 */
final class EngineHttp {

    private EngineHttp() {
    }

    /** Whether the engine answers {@code GET /ping} with {@code Ok.}. */
    static boolean ping(URI engine, Duration timeout) {
        return exchange(engine.resolve("/ping"), null, timeout).map(body -> body.strip().equals("Ok.")).orElse(false);
    }

    /** Runs one statement; its answer when the engine took it (HTTP 200), else empty. */
    static Optional<String> post(URI engine, String sql, Duration timeout) {
        return exchange(engine.resolve("/"), sql, timeout);
    }

    private static Optional<String> exchange(URI uri, String body, Duration timeout) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            connection.setRequestProperty("Connection", "close");
            connection.setUseCaches(false);
            if (body != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (connection.getResponseCode() != 200) {
                return Optional.empty();
            }
            try (InputStream in = connection.getInputStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
