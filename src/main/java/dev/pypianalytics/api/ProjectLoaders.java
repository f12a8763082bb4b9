package dev.pypianalytics.api;

import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.api.types.DownloadSummary;
import dev.pypianalytics.api.types.InstallerFileType;
import dev.pypianalytics.api.types.RankedProject;
import dev.pypianalytics.api.types.Ranking;
import dev.pypianalytics.api.types.SeriesGroup;
import dev.pypianalytics.api.types.Version;
import dev.pypianalytics.downloads.Breakdown;
import dev.pypianalytics.downloads.Breakdowns;
import dev.pypianalytics.downloads.Bucket;
import dev.pypianalytics.downloads.Dependencies;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.ProjectMetadata;
import dev.pypianalytics.downloads.QueryTrace;
import dev.pypianalytics.downloads.SplitSeries;
import dev.pypianalytics.downloads.VersionHistory;
import dev.pypianalytics.github.GithubRepositories;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.MonthWindow;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.dataloader.Try;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every per-project field of {@code Project} and {@code Version} (and the stars of a {@code Repository}), loaded for all the projects of a request
 * at once: the fields' keys are collected by graphql-java's data loaders, grouped by their arguments, and
 * each group is one question to the warehouse however many projects (or federated entities, or search
 * hits) ask it. This is what keeps a request's ClickHouse statements independent of its number of
 * projects, which the request budget relies on ({@link FieldRules#statements}).
 */
@Component
class ProjectLoaders {

    /** A data loader of this registry: its name, the type of its keys and of its values. */
    record Loader<K, V>(String name) {

        /** The field's value, loaded with every other key of the request (dispatched once the level's fields are collected). */
        CompletableFuture<V> load(DataFetchingEnvironment environment, K key) {
            DataLoader<K, V> loader = environment.getDataLoader(name);
            return loader.load(key);
        }

        private void register(BatchLoaderRegistry registry, Function<Set<K>, Mono<Map<K, V>>> batch) {
            registry.<K, V>forName(name).registerMappedBatchLoader((keys, environment) -> batch.apply(keys));
        }
    }

    static final Loader<String, ProjectMetadata.Metadata> METADATA = new Loader<>("projectMetadata");
    static final Loader<RankingKey, Ranking> RANKING = new Loader<>("projectRanking");
    static final Loader<String, List<Dependencies.Requirement>> DEPENDENCIES = new Loader<>("projectDependencies");
    static final Loader<DependentsKey, List<RankedProject>> DEPENDENTS = new Loader<>("projectDependents");
    static final Loader<TotalKey, Long> TOTALS = new Loader<>("projectTotals");
    static final Loader<SummaryKey, DownloadSummary> SUMMARY = new Loader<>("projectSummary");
    static final Loader<SeriesKey, List<DailyDownloads>> SERIES = new Loader<>("projectSeries");
    static final Loader<SplitSeriesKey, List<SeriesGroup>> SPLIT_SERIES = new Loader<>("projectSplitSeries");
    static final Loader<VersionsKey, List<Version>> VERSIONS = new Loader<>("projectVersions");
    static final Loader<VersionSeriesKey, List<DailyDownloads>> VERSION_SERIES = new Loader<>("versionSeries");
    static final Loader<TotalKey, List<InstallerFileType>> MATRIX = new Loader<>("projectInstallerFileTypes");
    static final Loader<BreakdownKey, Breakdown> BREAKDOWN = new Loader<>("projectBreakdown");
    static final Loader<String, GithubRepositories.Repository> REPOSITORY = new Loader<>("githubRepository");
    static final Loader<StarsKey, List<GithubRepositories.StarCount>> STARS = new Loader<>("githubStarsOverTime");

    record DependentsKey(String project, int limit) {
    }

    record TotalKey(String project, DownloadFilter filter) {
    }

    record SummaryKey(String project, DownloadFilter filter, MonthWindow month) {
    }

    record RankingKey(String project, DownloadFilter filter) {
    }

    record SeriesKey(String project, DownloadFilter filter, Granularity granularity) {
    }

    record SplitSeriesKey(String project, Dimension by, DownloadFilter filter, Granularity granularity, int top) {
    }

    record VersionsKey(String project, DownloadFilter filter, int limit) {
    }

    record VersionSeriesKey(String project, DownloadFilter filter, Granularity granularity, String version) {
    }

    record BreakdownKey(String project, Dimension by, DownloadFilter filter, int limit) {
    }

    record StarsKey(String repositoryId, Granularity granularity, LocalDate from, LocalDate to) {

        record Range(Granularity granularity, LocalDate from, LocalDate to) {
        }

        Range range() {
            return new Range(granularity, from, to);
        }
    }

    private final Downloads downloads;
    private final ProjectMetadata metadata;
    private final Dependencies dependencies;
    private final Breakdowns breakdowns;
    private final SplitSeries splitSeries;
    private final VersionHistory versionHistory;
    private final GithubRepositories repositories;

    ProjectLoaders(Downloads downloads, ProjectMetadata metadata, Dependencies dependencies, Breakdowns breakdowns, SplitSeries splitSeries,
                   VersionHistory versionHistory, GithubRepositories repositories, BatchLoaderRegistry registry) {
        this.downloads = downloads;
        this.metadata = metadata;
        this.dependencies = dependencies;
        this.breakdowns = breakdowns;
        this.splitSeries = splitSeries;
        this.versionHistory = versionHistory;
        this.repositories = repositories;
        METADATA.register(registry, this::metadata);
        RANKING.register(registry, this::ranking);
        DEPENDENCIES.register(registry, this::requirements);
        DEPENDENTS.register(registry, this::dependents);
        TOTALS.register(registry, this::totals);
        SUMMARY.register(registry, this::summaries);
        SERIES.register(registry, this::series);
        SPLIT_SERIES.register(registry, this::splitSeriesOf);
        VERSIONS.register(registry, this::versions);
        VERSION_SERIES.register(registry, this::versionSeries);
        MATRIX.register(registry, this::installerFileTypes);
        BREAKDOWN.register(registry, this::breakdownsOf);
        REPOSITORY.register(registry, this::repositories);
        STARS.register(registry, this::stars);
    }

    private Mono<Map<String, ProjectMetadata.Metadata>> metadata(Set<String> projects) {
        return metadata.of(List.copyOf(projects)).contextWrite(QueryTrace.field("Project.metadata (batched)"));
    }

    /** One question over all projects per filter; a project without downloads under it has no ranking (null). */
    private Mono<Map<RankingKey, Ranking>> ranking(Set<RankingKey> keys) {
        return byGroup(keys, RankingKey::filter, (filter, group) -> downloads.ranking(projects(group, RankingKey::project), filter)
                .contextWrite(QueryTrace.field("Project.ranking (batched)"))
                .map(ranks -> {
                    Map<RankingKey, Ranking> found = new HashMap<>();
                    group.forEach(key -> {
                        Downloads.Rank rank = ranks.get(key.project());
                        if (rank != null) {
                            found.put(key, Ranking.of(rank.rank(), rank.of()));
                        }
                    });
                    return found;
                }));
    }

    private Mono<Map<String, List<Dependencies.Requirement>>> requirements(Set<String> projects) {
        return dependencies.of(List.copyOf(projects)).contextWrite(QueryTrace.field("Project.dependencies (batched)"))
                .map(found -> projects.stream().collect(Collectors.toMap(p -> p, p -> found.getOrDefault(p, List.of()))));
    }

    private Mono<Map<DependentsKey, List<RankedProject>>> dependents(Set<DependentsKey> keys) {
        return byGroup(keys, DependentsKey::limit, (limit, group) -> dependencies.dependents(projects(group, DependentsKey::project), limit)
                .contextWrite(QueryTrace.field("Project.dependents (batched)"))
                .map(found -> group.stream().collect(Collectors.toMap(key -> key, key -> found.getOrDefault(key.project(), List.of())
                        .stream().map(d -> new RankedProject(d.project(), d.downloads())).toList()))));
    }

    private Mono<Map<TotalKey, Long>> totals(Set<TotalKey> keys) {
        return byGroup(keys, TotalKey::filter, (filter, group) -> downloads.totals(projects(group, TotalKey::project), filter, null)
                .contextWrite(QueryTrace.field("Project.totalDownloads (batched)"))
                .map(totals -> {
                    Map<String, Long> byProject = totals.stream()
                            .collect(Collectors.toMap(Downloads.Total::project, Downloads.Total::downloads, Long::sum));
                    return group.stream().collect(Collectors.toMap(key -> key, key -> byProject.getOrDefault(key.project(), 0L)));
                }));
    }

    /** Two queries per filter and month window: the recent periods and the all-time totals (the filter's own range is ignored). */
    private Mono<Map<SummaryKey, DownloadSummary>> summaries(Set<SummaryKey> keys) {
        return downloads.lastDay()
                .flatMap(asOf -> byGroup(keys, key -> List.of(key.filter(), key.month()), (ignored, group) -> {
                    DownloadFilter filter = group.getFirst().filter();
                    List<String> names = projects(group, SummaryKey::project);
                    return Mono.zip(downloads.recent(names, filter, asOf, group.getFirst().month()), downloads.totals(names, filter, null))
                            .contextWrite(QueryTrace.field("Project.downloadSummary (batched)"))
                            .map(both -> {
                                Map<String, Downloads.Recent> recent = both.getT1().stream()
                                        .collect(Collectors.toMap(Downloads.Recent::project, r -> r));
                                Map<String, Long> totals = both.getT2().stream()
                                        .collect(Collectors.toMap(Downloads.Total::project, Downloads.Total::downloads, Long::sum));
                                return group.stream().collect(Collectors.toMap(key -> key, key -> {
                                    Downloads.Recent r = recent.getOrDefault(key.project(), new Downloads.Recent(key.project(), 0, 0, 0));
                                    return new DownloadSummary(asOf, r.day(), r.week(), r.month(), totals.getOrDefault(key.project(), 0L),
                                            key.month().upTo(asOf).from());
                                }));
                            });
                }))
                // An empty warehouse has no last day: every summary is zero.
                .defaultIfEmpty(keys.stream().collect(Collectors.toMap(key -> key, key -> new DownloadSummary(null, 0, 0, 0, 0, null))));
    }

    private Mono<Map<SeriesKey, List<DailyDownloads>>> series(Set<SeriesKey> keys) {
        return byGroup(keys, key -> List.of(key.filter(), key.granularity()), (ignored, group) -> {
            SeriesKey first = group.getFirst();
            return downloads.series(projects(group, SeriesKey::project), first.filter(), first.granularity(), null)
                    .contextWrite(QueryTrace.field("Project.downloads (batched)"))
                    .map(points -> {
                        Map<String, List<Bucket>> byProject = Bucket.byProject(points);
                        return group.stream().collect(Collectors.toMap(key -> key,
                                key -> DailyDownloads.of(byProject.getOrDefault(key.project(), List.of()))));
                    });
        });
    }

    /** Per project: a series for each of its top values by downloads in the period, and one for all the others. */
    private Mono<Map<SplitSeriesKey, List<SeriesGroup>>> splitSeriesOf(Set<SplitSeriesKey> keys) {
        return byGroup(keys, key -> List.of(key.by(), key.filter(), key.granularity(), key.top()), (ignored, group) -> {
            SplitSeriesKey first = group.getFirst();
            return splitSeries.of(projects(group, SplitSeriesKey::project), first.by(), first.filter(), first.granularity(), first.top())
                    .contextWrite(QueryTrace.field("Project.downloadsBy (batched)"))
                    .map(lines -> group.stream().collect(Collectors.toMap(key -> key, key -> lines.getOrDefault(key.project(), List.of())
                            .stream().map(line -> new SeriesGroup(line.value(), line.name(), line.other(), DailyDownloads.of(line.buckets())))
                            .toList())));
        });
    }

    /** Per project, its versions with downloads, newest first by PEP 440, with their upload times. */
    private Mono<Map<VersionsKey, List<Version>>> versions(Set<VersionsKey> keys) {
        Mono<Map<String, Map<String, OffsetDateTime>>> uploads = versionHistory.uploadTimes(projects(keys, VersionsKey::project))
                .contextWrite(QueryTrace.field("Project.versions upload times (batched)")).cache();
        return byGroup(keys, VersionsKey::filter, (filter, group) -> versionHistory.newestFirst(projects(group, VersionsKey::project), filter,
                        group.stream().mapToInt(VersionsKey::limit).max().orElse(0), uploads)
                .contextWrite(QueryTrace.field("Project.versions (batched)"))
                .map(found -> group.stream().collect(Collectors.toMap(key -> key, key -> found.getOrDefault(key.project(), List.of()).stream()
                        .limit(key.limit())
                        .map(v -> new Version(v.version(), v.uploaded() == null ? null : v.uploaded().toLocalDate(), v.uploaded(), v.downloads(),
                                key.project(), filter))
                        .toList()))));
    }

    private Mono<Map<VersionSeriesKey, List<DailyDownloads>>> versionSeries(Set<VersionSeriesKey> keys) {
        return byGroup(keys, key -> List.of(key.filter(), key.granularity()), (ignored, group) -> {
            VersionSeriesKey first = group.getFirst();
            return downloads.series(projects(group, VersionSeriesKey::project), first.filter(), first.granularity(), Dimension.VERSION)
                    .contextWrite(QueryTrace.field("Version.series (batched)"))
                    .map(points -> {
                        Map<List<String>, List<DailyDownloads>> byVersion = points.stream().collect(Collectors.groupingBy(
                                p -> List.of(p.project(), p.value()),
                                Collectors.mapping(p -> new DailyDownloads(p.period(), p.downloads()), Collectors.toList())));
                        return group.stream().collect(Collectors.toMap(key -> key,
                                key -> byVersion.getOrDefault(List.of(key.project(), key.version()), List.of())));
                    });
        });
    }

    private Mono<Map<TotalKey, List<InstallerFileType>>> installerFileTypes(Set<TotalKey> keys) {
        return byGroup(keys, TotalKey::filter, (filter, group) -> downloads.matrix(projects(group, TotalKey::project), filter,
                        Dimension.INSTALLER, Dimension.FILE_TYPE)
                .contextWrite(QueryTrace.field("Project.installerFileTypes (batched)"))
                .map(cells -> {
                    Map<String, List<InstallerFileType>> byProject = cells.stream().collect(Collectors.groupingBy(Downloads.Cell::project,
                            Collectors.mapping(cell -> new InstallerFileType(cell.first(), cell.second(), cell.downloads()), Collectors.toList())));
                    return group.stream().collect(Collectors.toMap(key -> key, key -> byProject.getOrDefault(key.project(), List.of())));
                }));
    }

    /** Per project, the values with the most downloads (as many as its limit) and the rest as other: one statement per group, at its largest limit. */
    private Mono<Map<BreakdownKey, Breakdown>> breakdownsOf(Set<BreakdownKey> keys) {
        return byGroup(keys, key -> List.of(key.by(), key.filter()), (ignored, group) -> {
            BreakdownKey first = group.getFirst();
            return breakdowns.of(projects(group, BreakdownKey::project), first.by(), first.filter(),
                            group.stream().mapToInt(BreakdownKey::limit).max().orElse(0))
                    .contextWrite(QueryTrace.field("Project.breakdown (batched)"))
                    .map(found -> group.stream().collect(Collectors.toMap(key -> key,
                            key -> found.getOrDefault(key.project(), Breakdown.NONE).first(key.limit()))));
        });
    }

    /** The GitHub repository of each project that has a known one (no value for the others). */
    private Mono<Map<String, GithubRepositories.Repository>> repositories(Set<String> projects) {
        return repositories.of(List.copyOf(projects)).contextWrite(QueryTrace.field("Project.repository (batched)"));
    }

    /**
     * One statement per range and granularity for all the repositories that ask it. Unlike {@link #byGroup},
     * a failing range fails every key of the batch, as these fields always have.
     */
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
                .collect(HashMap::new, Map::putAll);
    }

    /** Keys grouped by what they share (filter, granularity, ...): one load per group, all results merged. */
    private static <K, G, V> Mono<Map<K, V>> byGroup(Set<K> keys, Function<K, G> sharing,
                                                      java.util.function.BiFunction<G, List<K>, Mono<Map<K, V>>> load) {
        Map<G, List<K>> groups = keys.stream().collect(Collectors.groupingBy(sharing, LinkedHashMap::new, Collectors.toList()));
        return Flux.fromIterable(groups.entrySet())
                .flatMap(group -> load.apply(group.getKey(), group.getValue())
                        // One group's failure (a filter the warehouse cannot answer, say) fails its own fields only.
                        .onErrorResume(error -> Mono.just(failed(group.getValue(), error))))
                .collect(HashMap::new, Map::putAll);
    }

    /** Each key failed with the error: DataLoader completes a key whose value is a failed {@link Try} exceptionally. */
    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V> failed(List<K> keys, Throwable error) {
        Map<K, V> failed = new HashMap<>();
        keys.forEach(key -> failed.put(key, (V) Try.failed(error)));
        return failed;
    }

    private static <K> List<String> projects(Collection<K> keys, Function<K, String> project) {
        return keys.stream().map(project).distinct().sorted().toList();
    }
}
