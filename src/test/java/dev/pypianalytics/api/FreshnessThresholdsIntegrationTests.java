package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.ClickHouseBackendCondition;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live deployment's settings (README, "Data freshness") on the demo data, which ends on a fixed past day: stale
 * after a day, WARN after a day (DOWN only after 100,000 days), {@code extensions.dataAsOf} on every answer. Its own
 * application context and engine (the suite's keeps the defaults: no thresholds); the only extra context for
 * freshness. DOWN is checked on the suite's context ({@code DataFreshnessIntegrationTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
class FreshnessThresholdsIntegrationTests {

    @DynamicPropertySource
    static void liveDeployment(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry);
        String dataDir = TestWarehouse.newDirectory("freshness-thresholds").toString();
        registry.add("pypi.embedded.data-dir", () -> dataDir);
        registry.add("pypi.freshness.stale-after", () -> "1d");
        registry.add("pypi.freshness.warn-after", () -> "1d");
        registry.add("pypi.freshness.down-after", () -> "100000d");
        registry.add("pypi.freshness.data-as-of-extension", () -> "ALWAYS");
    }

    @LocalServerPort
    int port;

    @Autowired
    ClickHouse clickHouse;

    WebTestClient web;

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    String lastDay() {
        return clickHouse.queryOne(Sql.of("SELECT toString(max(date)) AS v FROM pypi"), row -> row.getString("v")).block();
    }

    @Test
    void oldDataIsStaleInFreshness() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ freshness { lastDay stale staleAfterSeconds } }")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.freshness.lastDay").isEqualTo(lastDay())
                .jsonPath("$.data.freshness.stale").isEqualTo(true)
                .jsonPath("$.data.freshness.staleAfterSeconds").isEqualTo(86400);
    }

    @Test
    void healthIsWarnAndStillAnswers200() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("WARN");
        web.get().uri("/actuator/health/details").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestWarehouse.MANAGEMENT_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.dataFreshness.status").isEqualTo("WARN")
                .jsonPath("$.components.dataFreshness.details.warnAfterSeconds").isEqualTo(86400);
    }

    @Test
    void badgesSayStale() {
        web.get().uri("/badge/boto3.json?period=month").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.message").value(message -> assertThat((String) message).endsWith("/month (stale)"))
                .jsonPath("$.color").isEqualTo("orange");
        web.get().uri("/badge/boto3.svg").exchange().expectStatus().isOk()
                .expectBody(String.class).value(svg -> assertThat(svg).contains(" (stale)</text>").contains("#fe7d37"));
    }

    @Test
    void everyAnswerCarriesDataAsOfCachedOrNot() {
        String lastDay = lastDay();
        for (int i = 0; i < 2; i++) {
            web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "{ stats { projects } }"))
                    .exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.extensions.dataAsOf").isEqualTo(lastDay);
        }
        URI uri = URI.create("http://localhost:" + port + "/graphql?query=" + URLEncoder.encode("{ stats { firstDay } }", StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            var result = web.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult();
            assertThat(result.getResponseBody()).extractingByKey("extensions").isEqualTo(Map.of("dataAsOf", lastDay));
            assertThat(result.getResponseHeaders().getETag()).isNotBlank();
            web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, result.getResponseHeaders().getETag()).exchange()
                    .expectStatus().isNotModified();
        }
    }
}
