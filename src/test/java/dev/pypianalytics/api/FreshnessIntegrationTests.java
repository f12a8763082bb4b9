package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Query.freshness} against the raw table and the ledger tables, {@code extensions.dataAsOf} on request (the
 * default), and that the default thresholds (none) leave health UP and badges without "stale".
 */
class FreshnessIntegrationTests extends IntegrationTest {

    private static final String FRESHNESS = "{ freshness { lastDay lastCompleteDay lagSeconds stale staleAfterSeconds filesPending "
            + "filesQuarantined loadsInterrupted lastLoadAt followerActive } }";

    @Autowired
    ClickHouse clickHouse;

    String text(String sql) {
        return clickHouse.queryOne(Sql.of(sql), row -> row.getString("v")).block();
    }

    @Test
    void freshnessEqualsTheRawTableAndTheLedger() {
        // A quarantined file of a folder nobody follows: counted, nothing else changes.
        clickHouse.execute(Sql.of("""
                INSERT INTO ingest_follow_files (source, size, modified, status, rows, reason, holder, updated_at)
                VALUES ('/nonexistent/freshness-test/broken.parquet', 10, now64(3), 'quarantined', 0, 'test', 'test', now64(3))""")).block();
        long before = Instant.now().getEpochSecond();
        var response = graphQl.document(FRESHNESS).execute();
        long after = Instant.now().getEpochSecond();

        String lastDay = text("SELECT toString(max(date)) AS v FROM pypi");
        long end = LocalDate.parse(lastDay).plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        response.path("freshness.lastDay").entity(String.class).isEqualTo(lastDay)
                .path("freshness.lastCompleteDay").entity(String.class)
                .isEqualTo(text("SELECT toString(max(date)) AS v FROM pypi_freshness FINAL WHERE status = 'complete'"))
                .path("freshness.lagSeconds").entity(Long.class).satisfies(lag -> assertThat(lag).isBetween(before - end, after - end))
                // No thresholds by default: never stale; this gateway follows no folder.
                .path("freshness.stale").entity(Boolean.class).isEqualTo(false)
                .path("freshness.staleAfterSeconds").valueIsNull()
                .path("freshness.filesPending").valueIsNull()
                .path("freshness.filesQuarantined").entity(Long.class)
                .isEqualTo(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_follow_files FINAL WHERE status = 'quarantined'"))
                .path("freshness.loadsInterrupted").entity(Long.class)
                .isEqualTo(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_files FINAL WHERE status = 'publishing'"))
                .path("freshness.followerActive").entity(Boolean.class).isEqualTo(WarehouseTruth.count(clickHouse, """
                        SELECT count() AS n FROM (SELECT expires_at FROM ingest_lease FINAL WHERE name = 'follow'
                        ORDER BY term DESC, claimed_at, holder LIMIT 1) WHERE expires_at > now64(3)""") == 1);
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_follow_files FINAL WHERE status = 'quarantined'"))
                .isPositive();
        if (WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_files FINAL WHERE status = 'loaded'") == 0) {
            response.path("freshness.lastLoadAt").valueIsNull();
        } else {
            String lastLoad = text("SELECT formatDateTime(max(updated_at), '%Y-%m-%dT%H:%i:%S', 'UTC') AS v FROM ingest_files FINAL "
                    + "WHERE status = 'loaded'");
            response.path("freshness.lastLoadAt").entity(String.class).satisfies(at -> assertThat(at).startsWith(lastLoad));
        }
    }

    @Test
    void answersCarryDataAsOfWhenAsked() {
        String lastDay = text("SELECT toString(max(date)) AS v FROM pypi");
        Map<String, Object> asked = Map.of("query", "{ stats { projects } }", "extensions", Map.of("dataAsOf", true));
        // Twice: the second answer comes from the response cache and carries it too.
        for (int i = 0; i < 2; i++) {
            web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(asked).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.extensions.dataAsOf").isEqualTo(lastDay)
                    .jsonPath("$.data.stats.projects").isNumber();
        }
        // Not asked: the answer is as it always was.
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "{ stats { projects } }"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.extensions").doesNotExist();

        // GET: cacheable, with an ETag that still answers 304.
        String uri = "/graphql?query=" + URLEncoder.encode("{ stats { projects } }", StandardCharsets.UTF_8)
                + "&extensions=" + URLEncoder.encode("{\"dataAsOf\":true}", StandardCharsets.UTF_8);
        var result = web.get().uri(java.net.URI.create("http://localhost:" + port + uri)).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult();
        assertThat(result.getResponseBody()).extractingByKey("extensions").isEqualTo(Map.of("dataAsOf", lastDay));
        String etag = result.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();
        web.get().uri(java.net.URI.create("http://localhost:" + port + uri)).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified();
    }

    @Test
    void freshnessIsReadAfreshEveryTimeNeverFromACache() {
        // Its figures move without the data's version (a file quarantined, a second passing): no cache may keep them.
        String asked = "{ freshness { filesQuarantined lagSeconds } }";
        long before = graphQl.document(asked).execute().path("freshness.filesQuarantined").entity(Long.class).get();
        clickHouse.execute(Sql.of("""
                INSERT INTO ingest_follow_files (source, size, modified, status, rows, reason, holder, updated_at)
                VALUES ('/nonexistent/freshness-cache-test/broken.parquet', 10, now64(3), 'quarantined', 0, 'test', 'test', now64(3))""")).block();
        graphQl.document(asked).execute().path("freshness.filesQuarantined").entity(Long.class).isEqualTo(before + 1);
        // GET: no data-version ETag and nothing a shared cache may keep.
        String uri = "/graphql?query=" + URLEncoder.encode(asked, StandardCharsets.UTF_8);
        web.get().uri(java.net.URI.create("http://localhost:" + port + uri)).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectHeader().doesNotExist(HttpHeaders.ETAG);
    }

    @Test
    void withoutThresholdsTheOldDemoDataIsNeitherStaleNorUnhealthy() {
        management.get().uri("/actuator/health/details").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.dataFreshness.status").isEqualTo("UP")
                .jsonPath("$.components.dataFreshness.details.lagSeconds").isNumber();
        web.get().uri("/badge/boto3.json").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.message").value(message -> assertThat((String) message).doesNotContain("stale"))
                .jsonPath("$.color").isEqualTo("blue");
    }

    @Test
    void theDataLagGaugeIsThereWithoutFollowing() {
        graphQl.document("{ stats { lastDay } }").execute();
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        String lastDay = text("SELECT toString(max(date)) AS v FROM pypi");
        long expected = Instant.now().getEpochSecond() - LocalDate.parse(lastDay).plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        java.util.regex.Matcher gauge = java.util.regex.Pattern.compile("(?m)^pypi_data_lag_seconds (\\S+)$").matcher(metrics);
        assertThat(gauge.find()).as("pypi_data_lag_seconds in %s", "/actuator/prometheus").isTrue();
        assertThat(Double.parseDouble(gauge.group(1))).isBetween(expected - 120.0, expected + 120.0);
    }
}
