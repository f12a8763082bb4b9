package dev.pypianalytics.github;

import dev.pypianalytics.api.InvalidInputException;
import dev.pypianalytics.api.types.Project;
import dev.pypianalytics.downloads.QueryTrace;
import dev.pypianalytics.planner.Granularity;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code Project.repository}, {@code Repository.starsOverTime} and {@code Capabilities.githubRepositories}.
 * Both per-project fields go through data loaders: one statement for all the projects (or repositories) of a
 * request, per distinct argument set.
 */
@Controller
class GithubController {

    static final String REPOSITORY = "githubRepository";
    static final String STARS = "githubStarsOverTime";

    record StarsKey(String repositoryId, Granularity granularity, LocalDate from, LocalDate to) {

        record Range(Granularity granularity, LocalDate from, LocalDate to) {
        }

        Range range() {
            return new Range(granularity, from, to);
        }
    }

    private final GithubRepositories repositories;

    GithubController(GithubRepositories repositories, BatchLoaderRegistry registry) {
        this.repositories = repositories;
        registry.<String, GithubRepositories.Repository>forName(REPOSITORY).registerMappedBatchLoader((projects, env) ->
                repositories.of(List.copyOf(projects)).contextWrite(QueryTrace.field("Project.repository (batched)")));
        registry.<StarsKey, List<GithubRepositories.StarCount>>forName(STARS).registerMappedBatchLoader((keys, env) -> stars(keys));
    }

    @SchemaMapping(typeName = "Project", field = "repository")
    CompletableFuture<GithubRepositories.Repository> repository(Project project, DataFetchingEnvironment environment) {
        DataLoader<String, GithubRepositories.Repository> loader = environment.getDataLoader(REPOSITORY);
        return loader.load(project.name());
    }

    @SchemaMapping(typeName = "Repository", field = "starsOverTime")
    CompletableFuture<List<GithubRepositories.StarCount>> starsOverTime(GithubRepositories.Repository repository,
                                                                        @Argument Granularity granularity, @Argument LocalDate from,
                                                                        @Argument LocalDate to, DataFetchingEnvironment environment) {
        checkRange(from, to);
        DataLoader<StarsKey, List<GithubRepositories.StarCount>> loader = environment.getDataLoader(STARS);
        return loader.load(new StarsKey(repository.id(), granularity, from, to));
    }

    @SchemaMapping(typeName = "Capabilities", field = "githubRepositories")
    Mono<Boolean> githubRepositories() {
        return repositories.available();
    }

    /** The same check as the request budget's ({@code FieldRules}), for callers that bypass it. */
    static void checkRange(LocalDate from, LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidInputException("from (" + from + ") must not be after to (" + to + ").");
        }
    }

    private Mono<Map<StarsKey, List<GithubRepositories.StarCount>>> stars(Set<StarsKey> keys) {
        Map<StarsKey.Range, List<StarsKey>> groups = keys.stream().collect(Collectors.groupingBy(StarsKey::range));
        return Flux.fromIterable(groups.entrySet())
                .flatMap(group -> {
                    StarsKey.Range range = group.getKey();
                    List<String> ids = group.getValue().stream().map(StarsKey::repositoryId).distinct().toList();
                    return repositories.starsOverTime(ids, range.granularity(), range.from(), range.to())
                            .contextWrite(QueryTrace.field("Repository.starsOverTime (batched)"))
                            .map(series -> group.getValue().stream().collect(Collectors.toMap(key -> key,
                                    key -> series.getOrDefault(key.repositoryId(), List.of()))));
                })
                .collectList()
                .map(parts -> {
                    Map<StarsKey, List<GithubRepositories.StarCount>> all = new HashMap<>();
                    parts.forEach(all::putAll);
                    return all;
                });
    }
}
