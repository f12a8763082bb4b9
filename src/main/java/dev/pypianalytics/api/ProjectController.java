package dev.pypianalytics.api;

import dev.pypianalytics.downloads.Dependencies;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.ProjectDownloads;
import dev.pypianalytics.downloads.ProjectMetadata;
import dev.pypianalytics.downloads.ProjectSearch;
import dev.pypianalytics.downloads.QueryTrace;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.Pep440Version;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** {@code Query.project} and the fields of {@code Project}: arguments in, the downloads component out. */
@Controller
class ProjectController {

    static final int MAX_LIMIT = 100;

    private final ProjectDownloads projects;
    private final Downloads downloads;
    private final ProjectMetadata metadata;
    private final Dependencies dependencies;
    private final ProjectSearch search;

    ProjectController(ProjectDownloads projects, Downloads downloads, ProjectMetadata metadata, Dependencies dependencies,
                      ProjectSearch search, BatchLoaderRegistry batchLoaders) {
        this.search = search;
        batchLoaders.forTypePair(TotalKey.class, Long.class).registerMappedBatchLoader((keys, environment) -> loadTotals(keys));
        batchLoaders.<SummaryKey, DownloadSummary>forName(PROJECT_SUMMARY)
                .registerMappedBatchLoader((keys, environment) -> loadSummaries(keys));
        batchLoaders.<SeriesKey, List<DailyDownloads>>forName(PROJECT_SERIES)
                .registerMappedBatchLoader((keys, environment) -> loadSeries(keys));
        batchLoaders.<VersionSeriesKey, List<DailyDownloads>>forName(VERSION_SERIES)
                .registerMappedBatchLoader((keys, environment) -> loadVersionSeries(keys));
        this.projects = projects;
        this.downloads = downloads;
        this.metadata = metadata;
        this.dependencies = dependencies;
    }

    @SchemaMapping
    Mono<Ranking> ranking(Project project) {
        return dependencies.ranking(project.name())
                .map(r -> new Ranking(r.rank(), r.of(), 100.0 * (r.of() - r.rank() + 1) / r.of()));
    }

    @SchemaMapping
    Mono<List<Dependencies.Requirement>> dependencies(Project project) {
        return dependencies.of(project.name());
    }

    @SchemaMapping
    Mono<List<TrendsController.RankedProject>> dependents(Project project, @Argument int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit + ".");
        }
        return dependencies.dependents(project.name(), limit)
                .map(list -> list.stream().map(d -> new TrendsController.RankedProject(d.project(), d.downloads())).toList());
    }

    @QueryMapping
    Mono<Project> project(@Argument String name) {
        ProjectName projectName = ProjectName.of(name);
        return projects.exists(projectName.value())
                .filter(Boolean::booleanValue)
                .map(found -> new Project(projectName.value(), metadata.of(projectName.value()).cache()));
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

    // Metadata fields share one look-up per project (the cached Mono in Project).

    @SchemaMapping
    Mono<String> summary(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::summary);
    }

    @SchemaMapping
    Mono<String> latestVersion(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::latestVersion);
    }

    @SchemaMapping
    Mono<String> license(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::license);
    }

    @SchemaMapping
    Mono<String> homePage(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::homePage);
    }

    @SchemaMapping
    Mono<String> author(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::author);
    }

    @SchemaMapping
    Mono<String> requiresPython(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::requiresPython);
    }

    @SchemaMapping
    Mono<LocalDate> firstDownload(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::firstDownload);
    }

    @SchemaMapping
    Mono<LocalDate> lastDownload(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::lastDownload);
    }

    @SchemaMapping
    Mono<LocalDate> lastUpload(Project project) {
        return project.metadata().mapNotNull(ProjectMetadata.Metadata::lastUpload);
    }

    /** Key of the batched total: the same filter for many projects becomes one query. */
    record TotalKey(String project, DownloadFilter filter) {
    }

    @SchemaMapping
    CompletableFuture<Long> totalDownloads(Project project, @Argument DownloadFilterInput filter,
                                                                 DataLoader<TotalKey, Long> totals) {
        return totals.load(new TotalKey(project.name(), DownloadFilterInput.toFilter(filter)));
    }

    /** All totals asked for in one request, one query per distinct filter (no query per project). */
    private Mono<Map<TotalKey, Long>> loadTotals(Set<TotalKey> keys) {
        return Flux.fromIterable(keys.stream().collect(Collectors.groupingBy(TotalKey::filter)).entrySet())
                .flatMap(group -> downloads.totals(group.getValue().stream().map(TotalKey::project).distinct().toList(), group.getKey(), null)
                        .contextWrite(QueryTrace.field("Project.totalDownloads (batched)"))
                        .map(totals -> {
                            Map<String, Long> byProject = totals.stream()
                                    .collect(Collectors.toMap(Downloads.Total::project, Downloads.Total::downloads, Long::sum));
                            return group.getValue().stream().collect(Collectors.toMap(key -> key,
                                    key -> byProject.getOrDefault(key.project(), 0L)));
                        }))
                .collect(HashMap::new, Map::putAll);
    }

    @QueryMapping
    Mono<ProjectConnection> projects(@Argument String prefix, @Argument int first, @Argument String after) {
        if (first < 1 || first > MAX_LIMIT) {
            throw new InvalidInputException("first must be between 1 and " + MAX_LIMIT + ", got " + first + ".");
        }
        if (prefix.length() > 100 || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new InvalidInputException("prefix may hold only letters, digits, '.', '_' and '-' (at most 100), got '" + prefix + "'.");
        }
        String normalized = ProjectName.normalize(prefix);
        ProjectSearch.Hit position = after == null ? null : Cursors.decode(after);
        return search.page(normalized, position, first + 1).map(hits -> {
            List<ProjectEdge> edges = hits.stream().limit(first)
                    .map(hit -> new ProjectEdge(Cursors.encode(hit), new Project(hit.project(), metadata.of(hit.project()).cache())))
                    .toList();
            return new ProjectConnection(edges, new PageInfo(hits.size() > first, edges.isEmpty() ? null : edges.getLast().cursor()));
        });
    }

    /** Names the GraphQL field a query answers, for the query plan extension. */
    static Context field(DataFetchingEnvironment environment) {
        return QueryTrace.field(environment.getExecutionStepInfo().getPath().toString());
    }

    record ProjectConnection(List<ProjectEdge> edges, PageInfo pageInfo) {
    }

    record ProjectEdge(String cursor, Project node) {
    }

    record PageInfo(boolean hasNextPage, String endCursor) {
    }

    /** Key of a batched summary: the same filter for many projects becomes two queries (recent periods, all time). */
    record SummaryKey(String project, DownloadFilter filter) {
    }

    static final String PROJECT_SUMMARY = "projectSummary";

    @SchemaMapping
    CompletableFuture<DownloadSummary> downloadSummary(Project project, @Argument DownloadFilterInput filter,
                                                                             DataFetchingEnvironment environment) {
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        DownloadFilter allTime = new DownloadFilter(null, checked.values(), checked.versionPrefixes(), checked.ci());
        DataLoader<SummaryKey, DownloadSummary> loader = environment.getDataLoader(PROJECT_SUMMARY);
        return loader.load(new SummaryKey(project.name(), allTime));
    }

    private Mono<Map<SummaryKey, DownloadSummary>> loadSummaries(Set<SummaryKey> keys) {
        return downloads.lastDay().flatMap(asOf -> Flux.fromIterable(keys.stream()
                                .collect(Collectors.groupingBy(SummaryKey::filter)).entrySet())
                        .flatMap(group -> {
                            List<String> names = group.getValue().stream().map(SummaryKey::project).distinct().toList();
                            return Mono.zip(downloads.recent(names, group.getKey(), asOf), downloads.totals(names, group.getKey(), null))
                                    .contextWrite(QueryTrace.field("Project.downloadSummary (batched)"))
                                    .map(both -> {
                                        Map<String, Downloads.Recent> recent = both.getT1().stream()
                                                .collect(Collectors.toMap(Downloads.Recent::project, r -> r));
                                        Map<String, Long> totals = both.getT2().stream()
                                                .collect(Collectors.toMap(Downloads.Total::project, Downloads.Total::downloads, Long::sum));
                                        return group.getValue().stream().collect(Collectors.toMap(key -> key, key -> {
                                            Downloads.Recent r = recent.getOrDefault(key.project(), new Downloads.Recent(key.project(), 0, 0, 0));
                                            return new DownloadSummary(asOf, r.day(), r.week(), r.month(), totals.getOrDefault(key.project(), 0L));
                                        }));
                                    });
                        })
                        .collect(() -> (Map<SummaryKey, DownloadSummary>) new HashMap<SummaryKey, DownloadSummary>(),
                                Map::putAll))
                // An empty warehouse has no last day: every summary is zero.
                .defaultIfEmpty(keys.stream().collect(Collectors.toMap(key -> key, key -> new DownloadSummary(null, 0, 0, 0, 0))));
    }

    @SchemaMapping
    Mono<List<Version>> versions(Project project, @Argument DownloadFilterInput filter, @Argument int limit, DataFetchingEnvironment environment) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit must be between 1 and 1000, got " + limit + ".");
        }
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        return Mono.zip(downloads.totals(List.of(project.name()), checked, Dimension.VERSION).contextWrite(field(environment)), metadata.uploadTimes(project.name()))
                .map(both -> both.getT1().stream()
                        .sorted(Comparator.comparing((Downloads.Total total) -> Pep440Version.parse(total.value())).reversed())
                        .limit(limit)
                        .map(total -> {
                            OffsetDateTime uploaded = both.getT2().get(total.value());
                            return new Version(total.value(), uploaded == null ? null : uploaded.toLocalDate(), uploaded, total.downloads(),
                                    project.name(), checked);
                        })
                        .toList());
    }

    /** Key of a batched series: the same filter and granularity for many projects become one query. */
    record SeriesKey(String project, DownloadFilter filter, Granularity granularity) {
    }

    static final String PROJECT_SERIES = "projectSeries";

    @SchemaMapping
    CompletableFuture<List<DailyDownloads>> downloads(Project project, @Argument DownloadFilterInput filter,
                                                                            @Argument Granularity granularity,
                                                                            DataFetchingEnvironment environment) {
        DataLoader<SeriesKey, List<DailyDownloads>> loader = environment.getDataLoader(PROJECT_SERIES);
        return loader.load(new SeriesKey(project.name(), DownloadFilterInput.toFilter(filter), granularity));
    }

    private Mono<Map<SeriesKey, List<DailyDownloads>>> loadSeries(Set<SeriesKey> keys) {
        return Flux.fromIterable(keys.stream()
                        .collect(Collectors.groupingBy(key -> List.of(key.filter(), key.granularity()))).values())
                .flatMap(group -> downloads.series(group.stream().map(SeriesKey::project).distinct().toList(), group.getFirst().filter(),
                                group.getFirst().granularity(), null)
                        .contextWrite(QueryTrace.field("Project.downloads (batched)"))
                        .map(points -> {
                            Map<String, List<DailyDownloads>> byProject = points.stream().collect(Collectors.groupingBy(
                                    Downloads.Point::project, Collectors.mapping(p -> new DailyDownloads(p.period(), p.downloads()),
                                            Collectors.toList())));
                            return group.stream().collect(Collectors.toMap(key -> key,
                                    key -> byProject.getOrDefault(key.project(), List.of())));
                        }))
                .collect(HashMap::new, Map::putAll);
    }

    @SchemaMapping
    Mono<List<SeriesGroup>> downloadsBy(Project project, @Argument Dimension by, @Argument DownloadFilterInput filter,
                                        @Argument Granularity granularity, @Argument int top, DataFetchingEnvironment environment) {
        if (top < 1 || top > 20) {
            throw new InvalidInputException("top must be between 1 and 20, got " + top + ".");
        }
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        Mono<Map<String, String>> names = by == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
        return Mono.zip(downloads.series(List.of(project.name()), checked, granularity, by).contextWrite(field(environment)), names).map(both -> {
            Map<String, Long> totals = new HashMap<>();
            both.getT1().forEach(point -> totals.merge(point.value(), point.downloads(), Long::sum));
            List<String> leaders = totals.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(top).map(Map.Entry::getKey).toList();
            Map<String, TreeMap<LocalDate, Long>> series = new LinkedHashMap<>();
            leaders.forEach(value -> series.put(value, new TreeMap<>()));
            TreeMap<LocalDate, Long> others = new TreeMap<>();
            for (Downloads.Point point : both.getT1()) {
                series.getOrDefault(point.value(), others).merge(point.period(), point.downloads(), Long::sum);
            }
            List<SeriesGroup> groups = new ArrayList<>();
            series.forEach((value, points) -> groups.add(new SeriesGroup(value, both.getT2().get(value), false, daily(points))));
            if (!others.isEmpty()) {
                groups.add(new SeriesGroup("other", null, true, daily(others)));
            }
            return groups;
        });
    }

    private static List<DailyDownloads> daily(TreeMap<LocalDate, Long> points) {
        return points.entrySet().stream().map(e -> new DailyDownloads(e.getKey(), e.getValue())).toList();
    }

    @SchemaMapping
    Mono<List<InstallerFileType>> installerFileTypes(Project project, @Argument DownloadFilterInput filter, DataFetchingEnvironment environment) {
        return downloads.matrix(List.of(project.name()), DownloadFilterInput.toFilter(filter), Dimension.INSTALLER, Dimension.FILE_TYPE).contextWrite(field(environment))
                .map(cells -> cells.stream().map(cell -> new InstallerFileType(cell.first(), cell.second(), cell.downloads())).toList());
    }

    record SeriesGroup(String value, String name, boolean other, List<DailyDownloads> downloads) {
    }

    record InstallerFileType(String installer, String fileType, long downloads) {
    }

    @SchemaMapping
    Mono<Breakdown> breakdown(Project project, @Argument Dimension by, @Argument DownloadFilterInput filter, @Argument int limit, DataFetchingEnvironment environment) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit + ".");
        }
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        Mono<Map<String, String>> names = by == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
        return Mono.zip(downloads.totals(List.of(project.name()), checked, by).contextWrite(field(environment)), names).map(both -> {
            List<Downloads.Total> totals = both.getT1();
            List<BreakdownEntry> entries = totals.stream().limit(limit)
                    .map(total -> new BreakdownEntry(total.value(), both.getT2().get(total.value()), total.downloads())).toList();
            long all = totals.stream().mapToLong(Downloads.Total::downloads).sum();
            long listed = entries.stream().mapToLong(BreakdownEntry::downloads).sum();
            return new Breakdown(entries, all - listed, all);
        });
    }

    /** The GraphQL {@code Project}; further fields are resolved on demand, metadata once. */
    record Project(String name, Mono<ProjectMetadata.Metadata> metadata) {
    }

    record DailyDownloads(LocalDate date, long downloads) {
    }

    record DownloadSummary(LocalDate asOf, long lastDay, long lastWeek, long lastMonth, long allTime) {
    }

    /** A version in an answer; project and filter let its series be loaded with its siblings'. */
    record Version(String name, LocalDate uploadDay, OffsetDateTime uploadTime, long downloads, String project,
                   DownloadFilter filter) {
    }

    /** Key of a batched version series: all versions of one project, filter and granularity in one query. */
    record VersionSeriesKey(String project, DownloadFilter filter, Granularity granularity, String version) {
    }

    static final String VERSION_SERIES = "versionSeries";

    @SchemaMapping(typeName = "Version")
    CompletableFuture<List<DailyDownloads>> series(Version version, @Argument Granularity granularity,
                                                                         DataFetchingEnvironment environment) {
        DataLoader<VersionSeriesKey, List<DailyDownloads>> loader = environment.getDataLoader(VERSION_SERIES);
        return loader.load(new VersionSeriesKey(version.project(), version.filter(), granularity, version.name()));
    }

    private Mono<Map<VersionSeriesKey, List<DailyDownloads>>> loadVersionSeries(Set<VersionSeriesKey> keys) {
        return Flux.fromIterable(keys.stream()
                        .collect(Collectors.groupingBy(key -> List.of(key.project(), key.filter(), key.granularity()))).values())
                .flatMap(group -> {
                    VersionSeriesKey first = group.getFirst();
                    return downloads.series(List.of(first.project()), first.filter(), first.granularity(), Dimension.VERSION)
                            .contextWrite(QueryTrace.field("Version.series (batched)"))
                            .map(points -> {
                                Map<String, List<DailyDownloads>> byVersion = points.stream().collect(Collectors.groupingBy(
                                        Downloads.Point::value, Collectors.mapping(p -> new DailyDownloads(p.period(), p.downloads()),
                                                Collectors.toList())));
                                return group.stream().collect(Collectors.toMap(key -> key,
                                        key -> byVersion.getOrDefault(key.version(), List.of())));
                            });
                })
                .collect(HashMap::new, Map::putAll);
    }

    record Ranking(long rank, long of, double percentile) {
    }

    record Breakdown(List<BreakdownEntry> entries, long other, long total) {
    }

    record BreakdownEntry(String value, String name, long downloads) {
    }
}
