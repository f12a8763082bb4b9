package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class R2dbcClickHouseErrorTests {

    private final R2dbcClickHouse port = new R2dbcClickHouse(
            new ClickHouseEndpoint(URI.create("http://127.0.0.1:1"), "default", "secret", "pypi", Map.of()),
            Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void refusedConnectionIsUnavailable() {
        ClickHouseException error = port.translate(new RuntimeException("wrapped", new ConnectException("Connection refused")));
        assertThat(error.kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE);
        assertThat(error.getMessage()).contains("127.0.0.1:1").doesNotContain("secret");
    }

    @Test
    void unknownHostIsUnavailable() {
        assertThat(port.translate(new UnknownHostException("nowhere")).kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE);
    }

    @Test
    void clientTimeoutIsTimeout() {
        assertThat(port.translate(new TimeoutException("Did not observe any item")).kind()).isEqualTo(ClickHouseException.Kind.TIMEOUT);
    }

    @Test
    void anythingElseIsAQueryError() {
        assertThat(port.translate(new IllegalStateException("Code: 60. Unknown table")).kind()).isEqualTo(ClickHouseException.Kind.QUERY);
    }

    @Test
    void endpointDescriptionNeverShowsThePassword() {
        assertThat(port.endpoint().toString()).doesNotContain("secret");
        assertThat(port.endpoint().describe()).isEqualTo("http://127.0.0.1:1/pypi");
    }
}
