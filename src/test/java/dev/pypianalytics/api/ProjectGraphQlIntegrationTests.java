package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code project { totalDownloads }} over HTTP, checked against the same count over the raw table. */
class ProjectGraphQlIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Test
    void totalDownloadsEqualsTheRawCountAcrossThePopularityCurve() {
        List<String> projects = clickHouse.query(Sql.of(
                                "SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project"),
                        row -> row.getString("project"))
                .collectList().block();
        assertThat(projects).hasSizeGreaterThan(1000);
        // The most downloaded, one from the middle and the least downloaded project.
        for (String project : List.of(projects.getFirst(), projects.get(projects.size() / 2), projects.getLast())) {
            long raw = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = {project:String}")
                    .bind("project", project), row -> row.getLong("n")).block();
            graphQl.documentName("project").variable("name", project).execute()
                    .path("project.name").entity(String.class).isEqualTo(project)
                    .path("project.totalDownloads").entity(Long.class).isEqualTo(raw);
            assertThat(raw).isPositive();
        }
    }

    @Test
    void spellingVariantsOfANameAreTheSameProject() {
        long raw = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = 'typing-extensions'"),
                row -> row.getLong("n")).block();
        assertThat(raw).isPositive();
        for (String spelling : List.of("typing-extensions", "Typing_Extensions", "TYPING.extensions")) {
            graphQl.documentName("project").variable("name", spelling).execute()
                    .path("project.name").entity(String.class).isEqualTo("typing-extensions")
                    .path("project.totalDownloads").entity(Long.class).isEqualTo(raw);
        }
    }

    @Test
    void anUnknownProjectIsNull() {
        graphQl.documentName("project").variable("name", "no-such-project-anywhere-42").execute()
                .errors().verify()
                .path("project").valueIsNull();
    }

    @Test
    void anInvalidNameIsABadRequestThatSaysWhy() {
        graphQl.documentName("project").variable("name", "x' OR 1=1 --").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).contains("not a valid project name");
                });
    }

    @Test
    void healthIncludesClickHouse() {
        management.get().uri("/actuator/health/details").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.clickHouse.status").isEqualTo("UP")
                .jsonPath("$.components.clickHouse.details.version").isNotEmpty();
    }

    @Test
    void graphiqlIsServed() {
        web.get().uri("/graphiql?path=/graphql").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).containsIgnoringCase("graphiql"));
    }
}
