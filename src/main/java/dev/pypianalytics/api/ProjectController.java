package dev.pypianalytics.api;

import dev.pypianalytics.api.ProjectLoaders.BreakdownKey;
import dev.pypianalytics.api.ProjectLoaders.DependentsKey;
import dev.pypianalytics.api.ProjectLoaders.RankingKey;
import dev.pypianalytics.api.ProjectLoaders.SeriesKey;
import dev.pypianalytics.api.ProjectLoaders.SplitSeriesKey;
import dev.pypianalytics.api.ProjectLoaders.SummaryKey;
import dev.pypianalytics.api.ProjectLoaders.TotalKey;
import dev.pypianalytics.api.ProjectLoaders.VersionSeriesKey;
import dev.pypianalytics.api.ProjectLoaders.VersionsKey;
import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.api.types.DownloadSummary;
import dev.pypianalytics.api.types.InstallerFileType;
import dev.pypianalytics.api.types.PageInfo;
import dev.pypianalytics.api.types.Project;
import dev.pypianalytics.api.types.ProjectConnection;
import dev.pypianalytics.api.types.ProjectEdge;
import dev.pypianalytics.api.types.RankedProject;
import dev.pypianalytics.api.types.Ranking;
import dev.pypianalytics.api.types.SeriesGroup;
import dev.pypianalytics.api.types.Version;
import dev.pypianalytics.downloads.Breakdown;
import dev.pypianalytics.downloads.Dependencies;
import dev.pypianalytics.downloads.Pep503;
import dev.pypianalytics.downloads.ProjectNames;
import dev.pypianalytics.downloads.ProjectSearch;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.MonthWindow;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

import java.time.DayOfWeek;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.pypianalytics.api.ProjectLoaders.BREAKDOWN;
import static dev.pypianalytics.api.ProjectLoaders.DEPENDENCIES;
import static dev.pypianalytics.api.ProjectLoaders.DEPENDENTS;
import static dev.pypianalytics.api.ProjectLoaders.MATRIX;
import static dev.pypianalytics.api.ProjectLoaders.RANKING;
import static dev.pypianalytics.api.ProjectLoaders.SERIES;
import static dev.pypianalytics.api.ProjectLoaders.SPLIT_SERIES;
import static dev.pypianalytics.api.ProjectLoaders.SUMMARY;
import static dev.pypianalytics.api.ProjectLoaders.TOTALS;
import static dev.pypianalytics.api.ProjectLoaders.VERSIONS;
import static dev.pypianalytics.api.ProjectLoaders.VERSION_SERIES;

/**
 * {@code Query.project}, {@code Query.projects} and the fields of {@code Project} and {@code Version}:
 * arguments in, a key for the field's batch loader out ({@link ProjectLoaders}). Argument ranges are
 * checked for the whole request before it runs ({@link FieldRules}).
 */
@Controller
class ProjectController {

    private final ProjectNames projects;
    private final ProjectSearch search;
    private final BucketCoverage coverage;

    ProjectController(ProjectNames projects, ProjectSearch search, BucketCoverage coverage) {
        this.projects = projects;
        this.search = search;
        this.coverage = coverage;
    }

    @QueryMapping
    Mono<Project> project(@Argument String name) {
        ProjectName projectName = ProjectName.of(name);
        return projects.exists(projectName.value()).filter(Boolean::booleanValue).map(found -> new Project(projectName.value()));
    }

    /**
     * Federation: other subgraphs name a project by its key ({@code {__typename: "Project", name: ...}}) and
     * get it back here, through {@code _entities}; an unknown name is {@code null} in the list, with a
     * NOT_FOUND error naming it.
     */
    @EntityMapping(name = "Project")
    Mono<Project> projectEntity(@Argument String name) {
        return project(name).switchIfEmpty(Mono.error(() -> new NotFoundException("No project named " + name + ".")));
    }

    /** Entity fetches resolve their exceptions through handlers like this one, not the global resolver. */
    @GraphQlExceptionHandler
    GraphQLError notFound(NotFoundException notFound, DataFetchingEnvironment environment) {
        return GraphqlErrorBuilder.newError(environment).errorType(ErrorType.NOT_FOUND).message(notFound.getMessage()).build();
    }

    @QueryMapping
    Mono<ProjectConnection> projects(@Argument String prefix, @Argument int first, @Argument String after) {
        ProjectSearch.Hit position = after == null ? null : Cursors.decode(after);
        return search.page(Pep503.normalize(prefix), position, first + 1).map(hits -> {
            List<ProjectEdge> edges = hits.stream().limit(first)
                    .map(hit -> new ProjectEdge(Cursors.encode(hit), new Project(hit.project()))).toList();
            return new ProjectConnection(edges, new PageInfo(hits.size() > first, edges.isEmpty() ? null : edges.getLast().cursor()));
        });
    }

    // The metadata fields (summary, latestVersion, ...) are wired by ProjectMetadataFields.

    @SchemaMapping
    CompletableFuture<Ranking> ranking(Project project, @Argument RankingFilterInput filter, DataFetchingEnvironment environment) {
        return RANKING.load(environment, new RankingKey(project.name(), RankingFilterInput.toFilter(filter)));
    }

    @SchemaMapping
    CompletableFuture<List<Dependencies.Requirement>> dependencies(Project project, DataFetchingEnvironment environment) {
        return DEPENDENCIES.load(environment, project.name());
    }

    /**
     * A required project's all-time downloads: the same loader as {@code Project.totalDownloads}, so the totals of every
     * dependency in the answer are one statement. The name is already PEP 503-normalized ({@link Dependencies#of}).
     */
    @SchemaMapping(typeName = "Dependency", field = "downloads")
    CompletableFuture<Long> dependencyDownloads(Dependencies.Requirement dependency, DataFetchingEnvironment environment) {
        return TOTALS.load(environment, new TotalKey(dependency.name(), DownloadFilter.NONE));
    }

    @SchemaMapping
    CompletableFuture<List<RankedProject>> dependents(Project project, @Argument int limit, DataFetchingEnvironment environment) {
        return DEPENDENTS.load(environment, new DependentsKey(project.name(), limit));
    }

    @SchemaMapping
    CompletableFuture<Long> totalDownloads(Project project, @Argument DownloadFilterInput filter, DataFetchingEnvironment environment) {
        return TOTALS.load(environment, new TotalKey(project.name(), DownloadFilterInput.toFilter(filter)));
    }

    @SchemaMapping
    CompletableFuture<DownloadSummary> downloadSummary(Project project, @Argument DownloadFilterInput filter, @Argument MonthWindow month,
                                                       DataFetchingEnvironment environment) {
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        // The periods are fixed: the filter's own date range does not apply.
        DownloadFilter allTime = checked.withRange(null);
        return SUMMARY.load(environment, new SummaryKey(project.name(), allTime, month == null ? MonthWindow.LAST_30_DAYS : month));
    }

    @SchemaMapping
    CompletableFuture<List<Version>> versions(Project project, @Argument DownloadFilterInput filter, @Argument int limit,
                                              DataFetchingEnvironment environment) {
        return VERSIONS.load(environment, new VersionsKey(project.name(), DownloadFilterInput.toFilter(filter), limit));
    }

    @SchemaMapping
    CompletableFuture<List<DailyDownloads>> downloads(Project project, @Argument DownloadFilterInput filter, @Argument Granularity granularity,
                                                      @Argument DayOfWeek weekStart, @Argument PartialBuckets partialBuckets,
                                                      DataFetchingEnvironment environment) {
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        Granularity buckets = granularity.weeksStartingOn(weekStart);
        return coverage.mark(SERIES.load(environment, new SeriesKey(project.name(), checked, buckets)), checked, buckets, partialBuckets,
                (series, mark) -> mark.apply(series));
    }

    @SchemaMapping
    CompletableFuture<List<SeriesGroup>> downloadsBy(Project project, @Argument Dimension by, @Argument DownloadFilterInput filter,
                                                     @Argument Granularity granularity, @Argument int top, @Argument UnknownValues unknown,
                                                     @Argument DayOfWeek weekStart, @Argument PartialBuckets partialBuckets,
                                                     DataFetchingEnvironment environment) {
        DownloadFilter checked = unknown.applyTo(DownloadFilterInput.toFilter(filter), by);
        Granularity buckets = granularity.weeksStartingOn(weekStart);
        return coverage.mark(SPLIT_SERIES.load(environment, new SplitSeriesKey(project.name(), by, checked, buckets, top)), checked, buckets,
                partialBuckets,
                (groups, mark) -> groups.stream().map(group -> new SeriesGroup(group.value(), group.name(), group.other(),
                        mark.apply(group.downloads()))).toList());
    }

    @SchemaMapping
    CompletableFuture<List<InstallerFileType>> installerFileTypes(Project project, @Argument DownloadFilterInput filter,
                                                                  DataFetchingEnvironment environment) {
        return MATRIX.load(environment, new TotalKey(project.name(), DownloadFilterInput.toFilter(filter)));
    }

    @SchemaMapping
    CompletableFuture<Breakdown> breakdown(Project project, @Argument Dimension by, @Argument DownloadFilterInput filter, @Argument int limit,
                                           @Argument UnknownValues unknown, DataFetchingEnvironment environment) {
        return BREAKDOWN.load(environment, new BreakdownKey(project.name(), by, unknown.applyTo(DownloadFilterInput.toFilter(filter), by),
                limit));
    }

    @SchemaMapping(typeName = "Version")
    CompletableFuture<List<DailyDownloads>> series(Version version, @Argument Granularity granularity, @Argument DayOfWeek weekStart,
                                                   @Argument PartialBuckets partialBuckets, DataFetchingEnvironment environment) {
        Granularity buckets = granularity.weeksStartingOn(weekStart);
        return coverage.mark(VERSION_SERIES.load(environment,
                        new VersionSeriesKey(version.project(), version.filter(), buckets, version.name())),
                version.filter(), buckets, partialBuckets, (series, mark) -> mark.apply(series));
    }
}
