package dev.pypianalytics.api.protection;

import dev.pypianalytics.support.ClickHouseBackendCondition;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import reactor.core.publisher.Sinks;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway set up as the README's "Running it in public" says: a small rate limit, one partner key with
 * its own, a trusted proxy in front (the test client on the loopback, which names each test's client in
 * {@code X-Forwarded-For}, so the tests do not share a budget), and the management endpoints on their own
 * port; one uncached request at a time (admission), none waiting. Its own application context and engine (the
 * suite's runs with a huge limit). Not an
 * {@link dev.pypianalytics.support.IntegrationTest}: the suite's settings are dynamic properties, which
 * outrank {@code @TestPropertySource}, so this class registers its own after them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
class PublicDeploymentIntegrationTests {

    @DynamicPropertySource
    static void publicDeployment(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry);
        // Another context than the suite's, which holds its engine's data directory while it lives.
        String dataDir = TestWarehouse.newDirectory("public-deployment").toString();
        registry.add("pypi.embedded.data-dir", () -> dataDir);
        registry.add("pypi.api.rate-limit.requests-per-minute", () -> 3);
        registry.add("pypi.api.rate-limit.trusted-proxies", () -> "127.0.0.1,::1");
        registry.add("pypi.api.rate-limit.keys[0].name", () -> "partner");
        // printf %s partner-key | sha256sum
        registry.add("pypi.api.rate-limit.keys[0].sha256", () -> "346e50af211b5135824bb2bb58fe0f9e6df228adcf10c58a37fbc46b57baee74");
        registry.add("pypi.api.rate-limit.keys[0].requests-per-minute", () -> 5);
        // printf %s pipelining-key | sha256sum
        registry.add("pypi.api.rate-limit.keys[1].name", () -> "pipelining");
        registry.add("pypi.api.rate-limit.keys[1].sha256", () -> "7aa7dc3544a3e3ab082ac41061117fb9f4fe3295c269af634194a5cacff87727");
        registry.add("pypi.api.rate-limit.keys[1].requests-per-minute", () -> 5);
        registry.add("management.server.port", () -> 0);
        // One uncached request at a time and none waiting, so that one held request makes the gateway busy.
        registry.add("pypi.api.admission.max-concurrent", () -> 1);
        registry.add("pypi.api.admission.max-queued", () -> 0);
        registry.add("pypi.api.admission.retry-after", () -> "2s");
    }

    /** A request carrying {@code X-Test-Hold} waits, after admission, until the test lets it go: a slow warehouse. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HeldRequests {

        static final CountDownLatch ARRIVED = new CountDownLatch(1);
        static final Sinks.Empty<Void> RELEASE = Sinks.empty();

        @Bean
        @Order(300)
        WebGraphQlInterceptor holdWhenAsked() {
            return (request, chain) -> {
                if (!request.getHeaders().containsHeader("X-Test-Hold")) {
                    return chain.next(request);
                }
                ARRIVED.countDown();
                return RELEASE.asMono().then(chain.next(request));
            };
        }
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    WebTestClient web;

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    WebTestClient from(String address) {
        return web.mutate().defaultHeader("X-Forwarded-For", address).build();
    }

    static void tooManyRequests(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists("Retry-After")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.errors[0].message").value(message -> org.assertj.core.api.Assertions.assertThat((String) message)
                        .contains("Too many requests"))
                .jsonPath("$.errors[0].extensions.classification").isEqualTo("TOO_MANY_REQUESTS");
    }

    @Test
    void whileTheOnlySlotIsTakenAnUncachedRequestIsRefusedAsBusyAndACachedOneIsAnswered() throws Exception {
        String cached = "{ stats { totalDownloads } }";
        Object total = from("192.0.2.21").post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", cached))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("data");
        assertThat(total).isNotNull();

        // Its own thread: the common pool (one thread on two cores) also completes the gateway's cache lookups.
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<String> held = sender.submit(() -> {
            var result = from("192.0.2.22").post().uri("/graphql")
                    .header("X-Test-Hold", "1").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "{ held: stats { totalDownloads } }")).exchange()
                    .expectBody(String.class).returnResult();
            return result.getStatus().value() + " " + result.getResponseBody();
        });
        try {
            assertThat(HeldRequests.ARRIVED.await(60, TimeUnit.SECONDS)).as("the held request reached execution").isTrue();
            from("192.0.2.23").post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "{ other: stats { totalDownloads } }")).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().valueEquals("Retry-After", "2")
                    .expectHeader().valueEquals("Cache-Control", "no-store")
                    .expectBody()
                    .jsonPath("$.errors[0].extensions.classification").isEqualTo("BUSY")
                    .jsonPath("$.errors[0].extensions.retryAfterSeconds").isEqualTo(2)
                    .jsonPath("$.errors[0].message").isEqualTo("The gateway is answering as many requests as it can; try again in 2 s.");
            // The same over GET (the dashboard's way: a route of its own in front of the same GraphQL handler).
            from("192.0.2.26").get().uri("/graphql?query={query}", "{ viaGet: stats { totalDownloads } }").exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().valueEquals("Retry-After", "2")
                    .expectBody().jsonPath("$.errors[0].extensions.classification").isEqualTo("BUSY");
            // The same question as the first is answered from the cache, without a slot.
            from("192.0.2.24").post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", cached))
                    .exchange().expectStatus().isOk().expectBody().jsonPath("$.data").isEqualTo(total);
        } finally {
            HeldRequests.RELEASE.tryEmitEmpty();
            sender.shutdown();
        }
        assertThat(held.get(60, TimeUnit.SECONDS)).startsWith("200 ").contains("\"held\":{\"totalDownloads\":");
        // The slot is free again.
        from("192.0.2.25").post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ again: stats { totalDownloads } }")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.again.totalDownloads").exists();
    }

    @Test
    void badgesAreLimited() {
        WebTestClient client = from("192.0.2.11");
        for (int i = 0; i < 3; i++) {
            client.get().uri("/badge/boto3.svg").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "3");
        }
        tooManyRequests(client.get().uri("/badge/boto3.json").exchange());
    }

    @Test
    void aNewMadeUpKeyOnEveryRequestIsStillLimited() {
        WebTestClient client = from("192.0.2.12");
        for (int i = 0; i < 3; i++) {
            client.post().uri("/graphql").header("X-API-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "{ __typename }")).exchange().expectStatus().isOk();
        }
        tooManyRequests(client.post().uri("/graphql").header("X-API-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "{ __typename }")).exchange());
    }

    @Test
    void everyGraphQlRouteDrawsOnTheSameBudget() {
        WebTestClient client = from("192.0.2.13");
        client.get().uri("/graphql?query={query}", "{ __typename }").exchange().expectStatus().isOk();
        client.get().uri("/graphql/operations").exchange().expectStatus().isOk();
        client.get().uri("/graphql/schema").exchange().expectStatus().isOk();
        // The router serves /%67raphql as /graphql: it is limited as /graphql.
        tooManyRequests(client.post().uri(URI.create("http://localhost:" + port + "/%67raphql")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ __typename }")).exchange());
    }

    @Test
    void aConfiguredKeyHasItsOwnLimit() {
        WebTestClient client = from("192.0.2.14");
        for (int i = 0; i < 5; i++) {
            client.get().uri("/graphql/operations").header("X-API-Key", "partner-key").exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "5");
        }
        tooManyRequests(client.get().uri("/graphql/operations").header("X-API-Key", "partner-key").exchange());
        // The address's own budget is untouched.
        client.get().uri("/graphql/operations").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("RateLimit-Limit", "3")
                .expectHeader().valueEquals("RateLimit-Remaining", "2");
    }

    @Test
    void theManagementPortServesTheActuatorAndThePublicPortDoesNot() {
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
        WebTestClient managementPort = web.mutate().baseUrl("http://localhost:" + this.managementPort).build();
        managementPort.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        managementPort.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
        managementPort.get().uri("/actuator/health/details").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.clickHouse.status").isEqualTo("UP");
    }

    /**
     * Refusals answered at once on one kept-alive connection (pipelined, as a busy client may send them) are
     * all answered, and the connection is read again afterwards. Reactor Netty before 1.3.8 stopped reading a connection whose queued request was answered
     * synchronously (reactor/reactor-netty#4347): the client's next request on it hung until it gave up (seen in
     * CI as a 60 s "Timeout on blocking read" on a request right after a rate-limit refusal).
     */
    @Test
    void aKeptAliveConnectionIsReadAgainAfterRefusals() throws IOException {
        String address = "X-Forwarded-For: 192.0.2.15\r\n";
        String refused = "GET /graphql/operations HTTP/1.1\r\nHost: localhost\r\n" + address + "\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            // A hang detector, not a speed limit: an answer normally takes milliseconds.
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(refused.getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
            }
            // The address's budget is spent. A badge under a key of its own is answered from ClickHouse (later),
            // and the refusal queued behind it is answered at once, as soon as its turn comes.
            for (String project : List.of("boto3", "urllib3", "requests")) {
                String badge = "GET /badge/" + project + ".json HTTP/1.1\r\nHost: localhost\r\n" + address
                        + "X-API-Key: pipelining-key\r\n\r\n";
                out.write((badge + refused).getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(readResponse(in)).as("badge of %s", project).startsWith("HTTP/1.1 200");
                assertThat(readResponse(in)).as("refusal after the badge of %s", project).startsWith("HTTP/1.1 429");
            }
            out.write(refused.getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readResponse(in)).as("a request after the pipelined ones").startsWith("HTTP/1.1 429");
        } catch (java.net.SocketTimeoutException hung) {
            throw new AssertionError("the server stopped reading the kept-alive connection", hung);
        }
    }

    /** One HTTP/1.1 response (status line and headers; the body, by Content-Length or chunked, is read and dropped). */
    private static String readResponse(InputStream in) throws IOException {
        String head = readLine(in);
        String status = head;
        long length = 0;
        boolean chunked = false;
        while (!head.isEmpty()) {
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
            head = readLine(in);
        }
        if (chunked) {
            for (long size = Long.parseLong(readLine(in).split(";")[0].strip(), 16); size > 0;
                 size = Long.parseLong(readLine(in).split(";")[0].strip(), 16)) {
                in.readNBytes((int) size);
                readLine(in);
            }
            readLine(in);
        } else {
            in.readNBytes((int) length);
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection was closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
