package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** While the engine is not running (restarting), the API's port sends nothing to its address. */
class HttpClickHouseTests {

    @Test
    void whileTheEngineIsNotRunningNothingIsSentToItsPort() throws Exception {
        try (ServerSocket stranger = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            stranger.setSoTimeout(300);
            AtomicInteger connections = new AtomicInteger();
            Thread listener = Thread.ofVirtual().start(() -> {
                while (!stranger.isClosed()) {
                    try {
                        stranger.accept().close();
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            ClickHouseEndpoint endpoint = new ClickHouseEndpoint(URI.create("http://127.0.0.1:" + stranger.getLocalPort()), "pypi_api",
                    "secret", "pypi", Map.of());
            HttpClickHouse port = new HttpClickHouse(new ClickHouseHttp(endpoint, Duration.ofSeconds(1)), Duration.ofSeconds(2), true,
                    Map.of(), () -> false);

            assertThatThrownBy(() -> port.queryOne(Sql.of("SELECT 1 AS n"), row -> row.getLong("n")).block())
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE));
            Thread.sleep(500);
            assertThat(connections).hasValue(0);
            stranger.close();
            listener.join();
        }
    }
}
