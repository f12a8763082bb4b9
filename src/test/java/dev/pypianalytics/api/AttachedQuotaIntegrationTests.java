package dev.pypianalytics.api;

import dev.pypianalytics.support.ClickPyLayoutWarehouse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway attached to the ClickPy-layout warehouse as a user whose quota runs out
 * ({@link ClickPyLayoutWarehouse#LIMITED_USER}: a few dozen statements an hour, as a shared public user's quota
 * would after a busy while). The warehouse's refusal (QUOTA_EXCEEDED, code 201) must reach the client as a
 * "try later" error with {@code Retry-After}, never as an internal error; questions already answered are still
 * answered from the gateway's caches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AttachedQuotaIntegrationTests {

    static final ClickPyLayoutWarehouse CLICKPY = ClickPyLayoutWarehouse.get();

    static final long RETRY_AFTER_SECONDS = 17;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        registry.add("pypi.warehouse.mode", () -> "ATTACHED");
        registry.add("pypi.warehouse.quota-retry-after", () -> RETRY_AFTER_SECONDS + "s");
        registry.add("pypi.clickhouse.url", () -> CLICKPY.url().toString());
        registry.add("pypi.clickhouse.user", () -> ClickPyLayoutWarehouse.LIMITED_USER);
        registry.add("pypi.clickhouse.password", CLICKPY::password);
        registry.add("pypi.clickhouse.database", CLICKPY::database);
        registry.add("pypi.api.rate-limit.requests-per-minute", () -> 1_000_000);
        // The data's version is re-read on every request: after the quota runs out, that read is refused too.
        registry.add("pypi.api.cache.version-check", () -> "0s");
        registry.add("pypi.management.token-sha256", () -> "ddbaf72603be3028685c4cba67245671cc9328d191d355827b92814ff59e555d");
    }

    @LocalServerPort
    int port;

    EntityExchangeResult<byte[]> post(String query) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query)).exchange().expectBody().returnResult();
    }

    static JsonNode json(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(result.getResponseBody());
    }

    @Test
    void aUsedUpQuotaIsATryLaterErrorAndCachedAnswersStillCome() {
        String asked = "{ project(name: \"requests\") { totalDownloads } }";
        long requests = CLICKPY.longAsAdmin("SELECT count() FROM pypi WHERE project = 'requests'");
        assertThat(json(post(asked)).path("data").path("project").path("totalDownloads").asLong()).isEqualTo(requests);

        // New questions (a different first day each: nothing cached) until the warehouse refuses.
        EntityExchangeResult<byte[]> refused = null;
        for (int day = 0; day < 3 * ClickPyLayoutWarehouse.LIMITED_USER_QUERIES && refused == null; day++) {
            EntityExchangeResult<byte[]> result = post("{ project(name: \"numpy\") { totalDownloads(filter: { from: \""
                    + CLICKPY.firstDay().plusDays(day) + "\" }) } }");
            if (json(result).path("errors").size() > 0) {
                refused = result;
            }
        }
        assertThat(refused).as("an answer after the quota ran out").isNotNull();
        JsonNode error = json(refused).path("errors").get(0);
        assertThat(error.path("extensions").path("classification").asString()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(error.path("extensions").path("retryAfterSeconds").asLong()).isEqualTo(RETRY_AFTER_SECONDS);
        assertThat(error.path("message").asString()).contains("try again")
                .doesNotContain(ClickPyLayoutWarehouse.LIMITED_USER, "Quota for user", "127.0.0.1", "SELECT");
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo(String.valueOf(RETRY_AFTER_SECONDS));

        // The warehouse did refuse (not the gateway guessing).
        CLICKPY.queryAsAdmin("SYSTEM FLUSH LOGS");
        assertThat(CLICKPY.longAsAdmin("SELECT count() FROM system.query_log WHERE user = '" + ClickPyLayoutWarehouse.LIMITED_USER
                + "' AND exception_code = 201")).isPositive();

        // A question answered before is answered again, from the gateway's cache, with the same figure.
        JsonNode again = json(post(asked));
        assertThat(again.path("errors").isMissingNode() || again.path("errors").isEmpty()).as("errors: %s", again).isTrue();
        assertThat(again.path("data").path("project").path("totalDownloads").asLong()).isEqualTo(requests);
    }
}
