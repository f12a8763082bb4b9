package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.util.ArrayList;
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

    /**
     * The tables that may answer each field of {@link #QUERY} (one project, all time), written down from the DDL in
     * sql/, not taken from the planner: the tables with the columns the question needs that are laid out for one
     * project (sorted by project first, 256-row granules; the headers of those files say so), so they read one small
     * granule where the others read a whole 8192-row granule or a partition each.
     */
    static final Map<String, Set<String>> ANSWERED_BY = Map.of(
            // date × project × ci in yearly partitions: one project's series (sql/0057); the other day tables are monthly, 8192-row granules
            "Project.downloads (batched)", Set.of("pypi_project_downloads_per_day"),
            // project × country × ci, unpartitioned (sql/0053)
            "Project.breakdown (batched)", Set.of("pypi_downloads_by_country"),
            // project × installer × type × ci (sql/0055)
            "Project.installerFileTypes (batched)", Set.of("pypi_downloads_by_installer_by_type"),
            // Every all-time table of 256-row granules reads one granule for one project's total; they tie in principle and the
            // planner's estimate from the parts at hand decides. Not pypi_downloads (8192-row granules), not pypi.
            "Project.totalDownloads (batched)", Set.of("pypi_downloads_by_ci", "pypi_downloads_by_version_by_ci", "pypi_downloads_by_python",
                    "pypi_downloads_by_system", "pypi_downloads_by_country", "pypi_downloads_by_installer_by_type"));

    /** The columns each of those questions needs (besides project and count). */
    static final Map<String, List<String>> NEEDS = Map.of(
            "Project.downloads (batched)", List.of("date"),
            "Project.breakdown (batched)", List.of("country_code"),
            "Project.installerFileTypes (batched)", List.of("installer", "type"),
            "Project.totalDownloads (batched)", List.of());

    @Autowired
    ClickHouse clickHouse;

    @Test
    void theTablesWrittenDownHaveTheColumnsTheirQuestionsNeed() {
        ANSWERED_BY.forEach((field, tables) -> tables.forEach(table -> {
            List<String> columns = clickHouse.query(Sql.of("SELECT name FROM system.columns WHERE database = currentDatabase() "
                    + "AND table = {table:String}").bind("table", table), row -> row.getString("name")).collectList().block();
            List<String> needed = new ArrayList<>(List.of("project", "count"));
            needed.addAll(NEEDS.get(field));
            assertThat(columns).as("columns of %s, answering %s", table, field).containsAll(needed);
        }));
    }

    @Test
    void theHeaderAddsThePlanOfEveryField() {
        web.post().uri("/graphql").header("X-Query-Plan", "true").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY)).exchange()
                .expectStatus().isOk()
                .expectBody()
                // The breakdown asks two questions: its leading values, and the project's total, which is totalDownloads' too.
                .jsonPath("$.extensions.queryPlan.length()").isEqualTo(5)
                .jsonPath("$.extensions.queryPlan[*].field").value(fields -> assertThat(fields).asInstanceOf(InstanceOfAssertFactories.LIST)
                        .containsExactlyInAnyOrder("Project.downloads (batched)", "Project.breakdown (batched)", "Project.breakdown (batched)",
                                "Project.installerFileTypes (batched)", "Project.totalDownloads (batched)"))
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.downloads (batched)')].table")
                .value(table -> assertThat(table).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().isIn(ANSWERED_BY.get("Project.downloads (batched)")))
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.breakdown (batched)')].table")
                .value(tables -> assertThat(tables).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(2)
                        .containsAnyElementsOf(ANSWERED_BY.get("Project.breakdown (batched)"))
                        .containsAnyElementsOf(ANSWERED_BY.get("Project.totalDownloads (batched)")))
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.installerFileTypes (batched)')].table")
                .value(table -> assertThat(table).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().isIn(ANSWERED_BY.get("Project.installerFileTypes (batched)")))
                .jsonPath("$.extensions.queryPlan[?(@.field == 'Project.totalDownloads (batched)')].table")
                .value(table -> assertThat(table).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().isIn(ANSWERED_BY.get("Project.totalDownloads (batched)")))
                // The total was sent once: one of its two askers is marked as sharing it.
                .jsonPath("$.extensions.queryPlan[?(@.shared == true)].field").value(fields -> assertThat(fields)
                        .asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().isIn("Project.breakdown (batched)", "Project.totalDownloads (batched)"))
                .jsonPath("$.extensions.queryPlan[*].rowsRead").value(hasItem(greaterThan(0)))
                .jsonPath("$.extensions.queryPlan[*].clickHouseMilliseconds").value(hasItem(greaterThan(0.0)))
                .jsonPath("$.data.project.totalDownloads").value(greaterThan(0));
    }

    @Test
    void theRequestExtensionDoesTheSameAndWithoutEitherThereIsNoPlan() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY, "extensions", Map.of("queryPlan", true))).exchange()
                .expectBody().jsonPath("$.extensions.queryPlan.length()").isEqualTo(5);
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", QUERY)).exchange()
                .expectBody().jsonPath("$.extensions.queryPlan").doesNotExist();
    }
}
