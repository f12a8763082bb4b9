package dev.pypianalytics.api;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** /actuator/prometheus shows GraphQL request latency by operation, resolver timings, the planner's tables and the cache. */
class MetricsIntegrationTests extends IntegrationTest {

    @Test
    void prometheusShowsRequestsTablesAndTheCache() {
        // One project's monthly series: sql/0057's table, laid out for it (see QueryPlanIntegrationTests.ANSWERED_BY).
        String monthly = "pypi_project_downloads_per_day";
        for (int i = 0; i < 2; i++) {
            web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "query PackagePage { project(name: \"boto3\") { downloads(granularity: MONTH) { date } } }"))
                    .exchange().expectStatus().isOk();
        }
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics)
                .contains("graphql_operation_name=\"PackagePage\"")
                .contains("graphql_datafetcher_seconds")
                .contains("pypi_planner_queries_total{table=\"" + monthly + "\"")
                .contains("cache_gets_total{cache=\"statements\",result=\"hit\"")
                .contains("cache_gets_total{cache=\"responses\",result=\"hit\"");
    }

    @Test
    void inventedOperationNamesAddNoSeries() {
        String run = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < 200; i++) {
            web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "query Invented" + run + "_" + i + " { __typename }"))
                    .exchange().expectStatus().isOk();
        }
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "query Named" + run + " { __typename }", "operationName", "Named" + run))
                .exchange().expectStatus().isOk();
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Set<String> names = new TreeSet<>();
        Matcher tag = Pattern.compile("graphql_operation_name=\"([^\"]*)\"").matcher(metrics);
        while (tag.find()) {
            names.add(tag.group(1));
        }
        // The registered operations (graphql/operations/), requests without a name, and everything else as one.
        Set<String> allowed = new TreeSet<>(Set.of("anonymous", "other"));
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("graphql/operations"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".graphql"))
                    .forEach(name -> allowed.add(name.substring(0, name.length() - ".graphql".length())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(allowed).contains("PackagePage", "PackageOverview");
        assertThat(names).contains("other").isSubsetOf(allowed);
        assertThat(metrics).doesNotContain("Invented" + run).doesNotContain("Named" + run);
    }
}
