package dev.pypianalytics.api;

import dev.pypianalytics.api.ProjectLoaders.StarsKey;
import dev.pypianalytics.api.types.Project;
import dev.pypianalytics.github.GithubRepositories;
import dev.pypianalytics.planner.Granularity;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.pypianalytics.api.ProjectLoaders.REPOSITORY;
import static dev.pypianalytics.api.ProjectLoaders.STARS;

/**
 * {@code Project.repository}, {@code Repository.starsOverTime} and {@code Capabilities.githubRepositories}:
 * arguments in, a key for the field's batch loader out ({@link ProjectLoaders}).
 */
@Controller
class GithubController {

    private final GithubRepositories repositories;

    GithubController(GithubRepositories repositories) {
        this.repositories = repositories;
    }

    @SchemaMapping(typeName = "Project", field = "repository")
    CompletableFuture<GithubRepositories.Repository> repository(Project project, DataFetchingEnvironment environment) {
        return REPOSITORY.load(environment, project.name());
    }

    @SchemaMapping(typeName = "Repository", field = "starsOverTime")
    CompletableFuture<List<GithubRepositories.StarCount>> starsOverTime(GithubRepositories.Repository repository,
                                                                        @Argument Granularity granularity, @Argument LocalDate from,
                                                                        @Argument LocalDate to, DataFetchingEnvironment environment) {
        // Checked with the whole request already (FieldRules); again for callers that bypass the request budget.
        FieldRules.datesInOrder(from, to);
        return STARS.load(environment, new StarsKey(repository.id(), granularity, from, to));
    }

    @SchemaMapping(typeName = "Capabilities", field = "githubRepositories")
    Mono<Boolean> githubRepositories() {
        return repositories.available();
    }
}
