package dev.pypianalytics.api;

import dev.pypianalytics.downloads.WarehouseCatalog;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.Shape;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

/** On request, the response says per field which table answered, how many rows ClickHouse read and how long it took. */
class QueryPlanIntegrationTests extends IntegrationTest {

    static final String QUERY = "{ project(name: \"boto3\") { totalDownloads downloads(granularity: MONTH) { date } "
            + "breakdown(by: COUNTRY) { total } installerFileTypes { downloads } } }";

    @Autowired
    WarehouseCatalog warehouseCatalog;

    @Test
    void theHeaderAddsThePlanOfEveryField() {
        Catalog catalog = warehouseCatalog.catalog().block();
        String monthly = catalog.choose(new Shape(Set.of(), Granularity.MONTH, null)).name();
        String byCountry = catalog.choose(new Shape(Set.of(Dimension.COUNTRY), null, null)).name();
        String matrix = catalog.choose(new Shape(Set.of(Dimension.INSTALLER, Dimension.FILE_TYPE), null, null)).name();
        String total = catalog.choose(new Shape(Set.of(), null, null)).name();
        assertThat(List.of(monthly, byCountry, matrix, total)).doesNotContain(catalog.raw().name());

        web.post().uri("/graphql").header("X-Query-Plan", "true").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.extensions.queryPlan.length()").isEqualTo(4)
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.downloads (batched)')].table").isEqualTo(monthly)
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.breakdown (batched)')].table").isEqualTo(byCountry)
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.installerFileTypes (batched)')].table").isEqualTo(matrix)
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.totalDownloads (batched)')].table").isEqualTo(total)
                .jsonPath("$.extensions.queryPlan[*].rowsRead").value(hasItem(greaterThan(0)))
                .jsonPath("$.extensions.queryPlan[*].clickHouseMilliseconds").value(hasItem(greaterThan(0.0)))
                .jsonPath("$.data.project.totalDownloads").value(greaterThan(0));
    }

    @Test
    void theRequestExtensionDoesTheSameAndWithoutEitherThereIsNoPlan() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY, "extensions", Map.of("queryPlan", true))).exchange()
                .expectBody().jsonPath("$.extensions.queryPlan.length()").isEqualTo(4);
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY)).exchange()
                .expectBody().jsonPath("$.extensions.queryPlan").doesNotExist();
    }
}
