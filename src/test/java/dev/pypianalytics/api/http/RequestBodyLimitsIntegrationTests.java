package dev.pypianalytics.api.http;

import dev.pypianalytics.support.ClickHouseBackendCondition;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body limits as configured: a limit above Spring's own 256 KB codec buffer (which used to turn a large
 * body into a 500) and a short time for the body to arrive.
 *
 * <p>Not an {@link dev.pypianalytics.support.IntegrationTest}: its own properties make another running
 * gateway beside the suite's shared one, and one embedded engine's data directory serves one gateway, so it
 * registers the suite's warehouse with a data directory of its own (a subclass's dynamic property cannot
 * override the base class's). Closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pypi.api.request-body.max-size=512KB", "pypi.api.request-body.timeout=2s"})
@ExtendWith(ClickHouseBackendCondition.class)
@DirtiesContext
class RequestBodyLimitsIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry);
        if (!TestWarehouse.testcontainers()) {
            String dataDir = TestWarehouse.newDirectory("it-request-body").toString();
            registry.add("pypi.embedded.data-dir", () -> dataDir);
        }
    }

    @LocalServerPort
    int port;

    WebTestClient web;

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    private static String bodyOf(int padding) {
        // An undeclared variable is ignored by GraphQL: only the size matters.
        return "{\"query\": \"{ __typename }\", \"variables\": {\"padding\": \"" + "a".repeat(padding) + "\"}}";
    }

    @Test
    void aBodyUnderTheConfiguredLimitIsAnsweredEvenWhenLargerThanSpringsCodecBuffer() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(bodyOf(300 * 1024)).exchange()
                .expectStatus().isOk()
                .expectBody(JSON).isEqualTo(Map.of("data", Map.of("__typename", "Query")));
    }

    @Test
    void aBodyOverTheConfiguredLimitIs413NamingIt() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(bodyOf(600 * 1024)).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody(JSON).value(body -> assertThat(body.toString())
                        .contains("over this gateway's limit of 512 KB = 524288 bytes").contains("CONTENT_TOO_LARGE"));
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionIsClosed() throws Exception {
        // The client promises 100 bytes, dribbles a few and stops: waiting for the rest would hold the connection forever.
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (char c : "{\"query".toCharArray()) {
                out.write(c);
                out.flush();
                Thread.sleep(100);
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close")
                    .contains("\"classification\":\"REQUEST_TIMEOUT\"")
                    .contains("The request body did not arrive within 2 s");
        } catch (IOException e) {
            throw new AssertionError("no 408 answer before the connection ended", e);
        }
    }
}
