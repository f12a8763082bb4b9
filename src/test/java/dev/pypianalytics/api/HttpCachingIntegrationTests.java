package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphQL over GET with HTTP caching headers and conditional requests, automatic persisted queries and
 * the registered operations, over the real server.
 */
class HttpCachingIntegrationTests extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };
    private static final String QUERY = "query Total($name: String!) { project(name: $name) { name totalDownloads } }";

    @Autowired
    ClickHouse admin;

    private URI get(Map<String, String> parameters) {
        StringBuilder uri = new StringBuilder("http://localhost:" + port + "/graphql");
        char separator = '?';
        for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(parameters).entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(uri.toString());
    }

    private Map<String, Object> post(Map<String, Object> body) {
        return web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(JSON).returnResult().getResponseBody();
    }

    @Test
    void aGetAnswerIsCacheableAndRevalidatesWithoutRunning() {
        URI uri = get(Map.of("query", QUERY, "variables", "{\"name\":\"boto3\"}", "operationName", "Total"));
        EntityExchangeResult<Map<String, Object>> first = web.get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
                .expectBody(JSON).returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).matches("W/\"[0-9a-f]{32}\"");
        // The same answer as the POST form.
        assertThat(first.getResponseBody()).isEqualTo(post(Map.of("query", QUERY, "variables", Map.of("name", "boto3"))));

        web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
        // Another question has another tag.
        String other = web.get().uri(get(Map.of("query", QUERY, "variables", "{\"name\":\"numpy\"}"))).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
        assertThat(other).isNotEqualTo(etag);
        web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, other).exchange().expectStatus().isOk();
    }

    @Test
    void whenTheDataChangesTheTagChanges() {
        URI uri = get(Map.of("query", "{ stats { lastCompleteDay } }"));
        String before = web.get().uri(uri).exchange().expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
        // A new check of the last day (as reconcile writes): the data's version moves, the figures do not.
        admin.execute(Sql.of("""
                INSERT INTO pypi_freshness
                SELECT date, expected_rows, pypi_rows, status, 'http-caching-test', now64(3) + INTERVAL 1 SECOND
                FROM pypi_freshness FINAL ORDER BY date DESC LIMIT 1""")).block();
        web.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, before).exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ETAG, after -> assertThat(after).isNotEqualTo(before));
    }

    @Test
    void answersWithErrorsAndQueryPlansAreNotStored() {
        web.get().uri(get(Map.of("query", "{ project(name: \"boto3\") { noSuchField } }"))).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectHeader().doesNotExist(HttpHeaders.ETAG);
        web.get().uri(get(Map.of("query", "{ project(name: \"boto3\") { totalDownloads } }"))).header("X-Query-Plan", "true").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(JSON).value(body -> assertThat(body).containsKey("extensions"));
    }

    @Test
    void badGetRequestsAreExplained() {
        web.get().uri("/graphql").exchange().expectStatus().isBadRequest()
                .expectBody(JSON).value(body -> assertThat(body.toString()).contains("needs a query parameter"));
        web.get().uri(get(Map.of("query", QUERY, "variables", "{name: boto3"))).exchange().expectStatus().isBadRequest()
                .expectBody(JSON).value(body -> assertThat(body.toString()).contains("variables parameter must be a JSON object"));
    }

    @Test
    void automaticPersistedQueriesOverPostAndGet() {
        String query = "{ project(name: \"requests\") { name totalDownloads lastDownload } }";
        String hash = sha256(query);
        Map<String, Object> extensions = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));

        Map<String, Object> unknown = post(Map.of("extensions", extensions));
        assertThat(errors(unknown)).singleElement().satisfies(error -> {
            assertThat(error.get("message")).isEqualTo("PersistedQueryNotFound");
            assertThat(error.get("extensions")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("code", "PERSISTED_QUERY_NOT_FOUND");
        });
        Map<String, Object> registered = post(Map.of("query", query, "extensions", extensions));
        Map<String, Object> plain = post(Map.of("query", query));
        assertThat(registered).isEqualTo(plain).containsKey("data");
        // From now on the hash alone is enough, also in a cacheable GET.
        assertThat(post(Map.of("extensions", extensions))).isEqualTo(plain);
        web.get().uri(get(Map.of("extensions", "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}"))).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60, public")
                .expectBody(JSON).isEqualTo(plain);

        Map<String, Object> mismatch = post(Map.of("query", "{ stats { projects } }", "extensions", extensions));
        assertThat(errors(mismatch)).singleElement().satisfies(error -> assertThat(error.get("extensions"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("code", "PERSISTED_QUERY_HASH_MISMATCH"));
    }

    @Test
    void registeredOperationsRunByIdAndAreListedWithTheirIds() throws Exception {
        Map<String, Object> manifest = web.get().uri("/graphql/operations").exchange().expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> operations = (List<Map<String, Object>>) manifest.get("operations");
        List<Path> files;
        try (var listing = Files.list(Path.of("graphql/operations"))) {
            files = listing.filter(file -> file.toString().endsWith(".graphql")).sorted().toList();
        }
        assertThat(operations).hasSameSizeAs(files).isNotEmpty();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(operations).anySatisfy(operation -> {
                assertThat(operation.get("name")).isEqualTo(file.getFileName().toString().replace(".graphql", ""));
                assertThat(operation.get("id")).isEqualTo(sha256(text));
                assertThat(operation.get("body")).isEqualTo(text);
            });
        }
        // A registered operation runs by its id without its text ever having been sent.
        String landing = Files.readString(Path.of("graphql/operations/LandingPage.graphql"), StandardCharsets.UTF_8);
        Map<String, Object> byId = post(Map.of("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", sha256(landing)))));
        assertThat(byId).isEqualTo(post(Map.of("query", landing))).doesNotContainKey("errors");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.getOrDefault("errors", List.of());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
