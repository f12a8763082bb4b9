package dev.pypianalytics.api;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request has an id: the client's when it sends a plain one, echoed and logged with the outcome. */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogIntegrationTests extends IntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void theRequestIdIsEchoedAndLogged(CapturedOutput output) {
        // The in-process CLI tests quieten logging for the whole JVM; this logger must speak here.
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader())
                .setLogLevel(RequestLog.class.getName(), org.springframework.boot.logging.LogLevel.INFO);
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        web.post().uri("/graphql").header("X-Request-Id", "trace-42").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "query idCheck { project(name: \"boto3\") { downloads(granularity: YEAR) { date } } }",
                        "operationName", "idCheck"))
                .exchange().expectStatus().isOk().expectHeader().valueEquals("X-Request-Id", "trace-42");
        web.post().uri("/graphql").header("X-Request-Id", "not a token; DROP").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ stats { projects } }"))
                .exchange().expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));

        assertThat(output).contains("graphql request id=trace-42 operation=idCheck outcome=ok errors=0 ms=");
    }
}
