package dev.pypianalytics.api.protection;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.support.RequestStatementsInEngine;
import dev.pypianalytics.support.ClickHouseBackendCondition;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static dev.pypianalytics.support.GraphQlAnswer.classifications;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway in hostile hands, end to end on a real engine: a request that times out or whose client
 * goes away leaves nothing running in the engine; an engine killed under the gateway never produces a 500
 * (cached answers are still served, the rest get UNAVAILABLE with Retry-After until it is back); series
 * are costed by the days the warehouse really holds (see also {@code RequestBudgetIntegrationTests}).
 *
 * <p>Its own application context and engine: a short request timeout, and API statements slowed down by
 * ClickHouse itself so that a question over a year of all projects runs for many seconds, long enough to
 * see what a timeout or a disconnect does to it. The brake is {@code max_local_read_bandwidth} (bytes a
 * second a statement may read from disk): it slows every run the same way. ({@code max_execution_speed}
 * was used before and is not reliable on this engine: it sleeps at most a second per progress report and
 * stops sleeping once a thread's earlier throttle sleeps outweigh the statement's elapsed time, so the
 * same statement took from 0.01 to 7 s, and a request sometimes finished inside its timeout.) A statement
 * asleep in that brake ends only when its sleep does, so what the gateway answers for is that every
 * statement of the request is told to stop at once; that they then end is checked with more time.
 * Statements are counted in the engine's own {@code system.query_log} and {@code system.processes} by
 * the request id the test sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestsIntegrationTests {

    static final Duration TIMEOUT = Duration.ofSeconds(4);

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry, TestWarehouse.newDirectory("hostile"));
        registry.add("pypi.api.request-timeout", TIMEOUT::toString);
        registry.add("pypi.api.cache.version-check", () -> "1s");
        // 100 kB a second read from disk per statement (the first second's worth unbraked): a year of all projects
        // (~35,000-80,000 rows of the day and month tables) runs past the 4 s timeout, a lookup in a per-project
        // table or the name index well under a second.
        registry.add("pypi.clickhouse.api.settings.max_local_read_bandwidth", () -> "100000");
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ClickHouse admin;

    RequestStatementsInEngine engine;

    @Autowired
    ObjectProvider<EmbeddedEngine> embeddedEngine;

    WebTestClient web;

    @BeforeEach
    void connect() {
        engine = new RequestStatementsInEngine(admin);
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    @Order(1)
    void anOpenRangeIsCostedByTheDaysTheWarehouseHolds() {
        // This warehouse holds the demo's three years (1,096 days). Twenty-one daily series over them cost
        // 21 × 110 = 2,310, within the default 5,000; over an assumed ten years (3,660 days) 21 × 366 = 7,686.
        // (Split by CI: the per-project day table answers it reading a few granules; this context's statements are throttled.)
        String project = admin.queryOne(Sql.of("SELECT project FROM pypi_downloads GROUP BY project ORDER BY sum(count) DESC, project LIMIT 1 OFFSET 200"),
                row -> row.getString("project")).block();
        long days = admin.queryOne(Sql.of("SELECT max(max_date) - min(min_date) + 1 AS days FROM pypi_downloads_max_min"), row -> row.getLong("days")).block();
        assertThat(days).isEqualTo(1096);
        // The first request after start-up reads the name index and the catalog (throttled here too).
        post(id("warm-up"), "{ project(name: \"" + project + "\") { name } }");
        JsonNode answer = post(id("span"), "{ project(name: \"" + project + "\") { downloadsBy(by: CI, top: 20, granularity: DAY) { value } } }");
        assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();
        assertThat(answer.path("data").path("project").path("downloadsBy").size()).isPositive();
    }

    /** A question over a year of all projects: at 100 kB a second, many seconds per statement. */
    static final String SLOW = "{ trends { a: top(days: 366, limit: 5) { name } b: top(days: 365, ci: EXCLUDE, limit: 5) { name } "
            + "c: top(days: 364, ci: ONLY, limit: 5) { name } } }";

    @Test
    @Order(7)
    void aTimedOutRequestLeavesNoStatementRunning() {
        String id = id("timeout");
        long started = System.nanoTime();
        JsonNode answer = post(id, SLOW);
        assertThat(classifications(answer)).containsOnly("TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusSeconds(5));
        assertThat(engine.sent(id)).as("the request's statements reached the engine").isPositive();
        allStopped(id);
    }

    /** Within two seconds every statement of the request is stopped or told to stop; within thirty none runs. */
    private void allStopped(String id) {
        awaitWithin(Duration.ofSeconds(2), () -> engine.runningUnstopped(id) == 0, () -> engine.runningUnstopped(id) + " statements still running, not told to stop");
        awaitWithin(Duration.ofSeconds(30), () -> engine.running(id) == 0, () -> engine.running(id) + " statements told to stop still running");
    }

    @Test
    @Order(8)
    void aClientThatGoesAwayLeavesNoStatementRunning() throws Exception {
        String id = id("gone");
        byte[] body = JSON.writeValueAsBytes(Map.of("query", SLOW));
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Request-Id: " + id
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            awaitWithin(Duration.ofSeconds(10), () -> engine.running(id) > 0, () -> "the statements never started");
        }
        // The connection is closed: within two seconds nothing of the request runs unstopped.
        allStopped(id);
    }

    @Test
    @Order(9)
    void anEngineKilledUnderLoadYieldsCleanErrorsAndCachedAnswersNeverA500() {
        EmbeddedEngine embedded = embeddedEngine.getIfAvailable();
        assumeTrue(embedded != null, "needs the embedded engine");
        String cachedQuestion = "{ project(name: \"boto3\") { totalDownloads } }";
        JsonNode before = post(id("cached"), cachedQuestion);
        long total = before.path("data").path("project").path("totalDownloads").asLong();
        assertThat(total).isPositive();

        ProcessHandle.of(embedded.state().pid()).orElseThrow().destroyForcibly();

        List<String> problems = new ArrayList<>();
        boolean unavailableSeen = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode fresh;
        while (true) {
            // A question answered before the kill: served from the answer cache, or by the engine again.
            EntityExchangeResult<JsonNode> cached = exchange(id("cached"), cachedQuestion);
            // A question never asked before: an UNAVAILABLE error with Retry-After until the engine is back.
            EntityExchangeResult<JsonNode> uncached = exchange(id("fresh"), "{ project(name: \"boto3\") { totalDownloads(filter: { to: \""
                    + LocalDate.of(2026, 3, 31).minusDays(problems.size() % 300) + "\" }) } }");
            for (EntityExchangeResult<JsonNode> result : List.of(cached, uncached)) {
                if (result.getStatus().value() != 200) {
                    problems.add("HTTP " + result.getStatus().value() + ": " + result.getResponseBody());
                }
            }
            assertThat(cached.getResponseBody().path("data").path("project").path("totalDownloads").asLong())
                    .as("cached answer while the engine is down: " + cached.getResponseBody()).isEqualTo(total);
            fresh = uncached.getResponseBody();
            if (fresh.path("errors").isMissingNode()) {
                break;
            }
            assertThat(classifications(fresh)).as(fresh.toString()).containsOnly("UNAVAILABLE");
            assertThat(uncached.getResponseHeaders().getFirst("Retry-After")).isEqualTo("5");
            unavailableSeen = true;
            assertThat(System.nanoTime()).as("the engine came back within 60 s").isLessThan(deadline);
            sleep(Duration.ofMillis(200));
        }
        assertThat(problems).isEmpty();
        assertThat(unavailableSeen).as("requests were sent while the engine was down").isTrue();
        assertThat(post(id("after"), "{ project(name: \"boto3\") { totalDownloads } }").path("data").path("project")
                .path("totalDownloads").asLong()).isEqualTo(total);
    }

    private static String id(String what) {
        return what + "-" + System.nanoTime();
    }

    private JsonNode post(String requestId, String query) {
        EntityExchangeResult<JsonNode> result = exchange(requestId, query);
        assertThat(result.getStatus().value()).as(String.valueOf(result.getResponseBody())).isEqualTo(200);
        return result.getResponseBody();
    }

    private EntityExchangeResult<JsonNode> exchange(String requestId, String query) {
        return web.post().uri("/graphql").header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query)).exchange().expectBody(JsonNode.class).returnResult();
    }





    private static void awaitWithin(Duration limit, BooleanSupplier condition, java.util.function.Supplier<String> otherwise) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + limit + ": " + otherwise.get());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
