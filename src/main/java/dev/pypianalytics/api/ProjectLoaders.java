package dev.pypianalytics.api;

import dev.pypianalytics.api.types.Breakdown;
import dev.pypianalytics.api.types.BreakdownEntry;
import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.api.types.DownloadSummary;
import dev.pypianalytics.api.types.InstallerFileType;
import dev.pypianalytics.api.types.RankedProject;
import dev.pypianalytics.api.types.Ranking;
import dev.pypianalytics.api.types.SeriesGroup;
import dev.pypianalytics.api.types.Version;
import dev.pypianalytics.downloads.Dependencies;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.ProjectMetadata;
import dev.pypianalytics.downloads.QueryTrace;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.MonthWindow;
import dev.pypianalytics.planner.Pep440Version;
import org.dataloader.Try;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every per-project field of {@code Project} and {@code Version}, loaded for all the projects of a request
 * at once: the fields' keys are collected by graphql-java's data loaders, grouped by their arguments, and
 * each group is one question to the warehouse however many projects (or federated entities, or search
 * hits) ask it. This is what keeps a request's ClickHouse statements independent of its number of
 * projects, which the request budget relies on ({@link FieldRules#statements}).
 */
@Component
class ProjectLoaders {

    static final String METADATA = "projectMetadata";
    static final String RANKING = "projectRanking";
    static final String DEPENDENCIES = "projectDependencies";
    static final String DEPENDENTS = "projectDependents";
    static final String TOTALS = "projectTotals";
    static final String SUMMARY = "projectSummary";
    static final String SERIES = "projectSeries";
    static final String SPLIT_SERIES = "projectSplitSeries";
    static final String VERSIONS = "projectVersions";
    static final String VERSION_SERIES = "versionSeries";
    static final String MATRIX = "projectInstallerFileTypes";
    static final String BREAKDOWN = "projectBreakdown";

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

    private final Downloads downloads;
    private final ProjectMetadata metadata;
    private final Dependencies dependencies;

    ProjectLoaders(Downloads downloads, ProjectMetadata metadata, Dependencies dependencies, BatchLoaderRegistry registry) {
        this.downloads = downloads;
        this.metadata = metadata;
        this.dependencies = dependencies;
        registry.<String, ProjectMetadata.Metadata>forName(METADATA).registerMappedBatchLoader((keys, env) -> metadata(keys));
        registry.<RankingKey, Ranking>forName(RANKING).registerMappedBatchLoader((keys, env) -> ranking(keys));
        registry.<String, List<Dependencies.Requirement>>forName(DEPENDENCIES).registerMappedBatchLoader((keys, env) -> requirements(keys));
        registry.<DependentsKey, List<RankedProject>>forName(DEPENDENTS).registerMappedBatchLoader((keys, env) -> dependents(keys));
        registry.<TotalKey, Long>forName(TOTALS).registerMappedBatchLoader((keys, env) -> totals(keys));
        registry.<SummaryKey, DownloadSummary>forName(SUMMARY).registerMappedBatchLoader((keys, env) -> summaries(keys));
        registry.<SeriesKey, List<DailyDownloads>>forName(SERIES).registerMappedBatchLoader((keys, env) -> series(keys));
        registry.<SplitSeriesKey, List<SeriesGroup>>forName(SPLIT_SERIES).registerMappedBatchLoader((keys, env) -> splitSeries(keys));
        registry.<VersionsKey, List<Version>>forName(VERSIONS).registerMappedBatchLoader((keys, env) -> versions(keys));
        registry.<VersionSeriesKey, List<DailyDownloads>>forName(VERSION_SERIES).registerMappedBatchLoader((keys, env) -> versionSeries(keys));
        registry.<TotalKey, List<InstallerFileType>>forName(MATRIX).registerMappedBatchLoader((keys, env) -> installerFileTypes(keys));
        registry.<BreakdownKey, Breakdown>forName(BREAKDOWN).registerMappedBatchLoader((keys, env) -> breakdowns(keys));
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
                        Map<String, List<DailyDownloads>> byProject = points.stream().collect(Collectors.groupingBy(Downloads.Point::project,
                                Collectors.mapping(p -> new DailyDownloads(p.period(), p.downloads()), Collectors.toList())));
                        return group.stream().collect(Collectors.toMap(key -> key, key -> byProject.getOrDefault(key.project(), List.of())));
                    });
        });
    }

    /** Per project: a series for each of its top values by downloads in the period, and one for all the others. */
    private Mono<Map<SplitSeriesKey, List<SeriesGroup>>> splitSeries(Set<SplitSeriesKey> keys) {
        return byGroup(keys, key -> List.of(key.by(), key.filter(), key.granularity()), (ignored, group) -> {
            SplitSeriesKey first = group.getFirst();
            Mono<Map<String, String>> names = first.by() == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
            return Mono.zip(downloads.series(projects(group, SplitSeriesKey::project), first.filter(), first.granularity(), first.by())
                            .contextWrite(QueryTrace.field("Project.downloadsBy (batched)")), names)
                    .map(both -> {
                        Map<String, List<Downloads.Point>> byProject = both.getT1().stream()
                                .collect(Collectors.groupingBy(Downloads.Point::project));
                        return group.stream().collect(Collectors.toMap(key -> key,
                                key -> split(byProject.getOrDefault(key.project(), List.of()), key.top(), both.getT2())));
                    });
        });
    }

    private static List<SeriesGroup> split(List<Downloads.Point> points, int top, Map<String, String> names) {
        Map<String, Long> totals = new HashMap<>();
        points.forEach(point -> totals.merge(point.value(), point.downloads(), Long::sum));
        List<String> leaders = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top).map(Map.Entry::getKey).toList();
        Map<String, TreeMap<LocalDate, Long>> series = new LinkedHashMap<>();
        leaders.forEach(value -> series.put(value, new TreeMap<>()));
        TreeMap<LocalDate, Long> others = new TreeMap<>();
        for (Downloads.Point point : points) {
            series.getOrDefault(point.value(), others).merge(point.period(), point.downloads(), Long::sum);
        }
        List<SeriesGroup> groups = new ArrayList<>();
        series.forEach((value, buckets) -> groups.add(new SeriesGroup(value, names.get(value), false, daily(buckets))));
        if (!others.isEmpty()) {
            groups.add(new SeriesGroup("other", null, true, daily(others)));
        }
        return groups;
    }

    private static List<DailyDownloads> daily(TreeMap<LocalDate, Long> points) {
        return points.entrySet().stream().map(e -> new DailyDownloads(e.getKey(), e.getValue())).toList();
    }

    /** Per project, its versions with downloads, newest first by PEP 440, with their upload times. */
    private Mono<Map<VersionsKey, List<Version>>> versions(Set<VersionsKey> keys) {
        List<String> all = projects(keys, VersionsKey::project);
        Mono<Map<String, Map<String, OffsetDateTime>>> uploads = metadata.uploadTimes(all)
                .contextWrite(QueryTrace.field("Project.versions upload times (batched)")).cache();
        return byGroup(keys, VersionsKey::filter, (filter, group) -> Mono.zip(downloads.totals(projects(group, VersionsKey::project), filter,
                                Dimension.VERSION).contextWrite(QueryTrace.field("Project.versions (batched)")), uploads)
                .map(both -> {
                    Map<String, List<Downloads.Total>> byProject = both.getT1().stream().collect(Collectors.groupingBy(Downloads.Total::project));
                    return group.stream().collect(Collectors.toMap(key -> key, key -> {
                        Map<String, OffsetDateTime> uploaded = both.getT2().getOrDefault(key.project(), Map.of());
                        return byProject.getOrDefault(key.project(), List.of()).stream()
                                .sorted(Comparator.comparing((Downloads.Total total) -> Pep440Version.parse(total.value())).reversed())
                                .limit(key.limit())
                                .map(total -> {
                                    OffsetDateTime time = uploaded.get(total.value());
                                    return new Version(total.value(), time == null ? null : time.toLocalDate(), time, total.downloads(),
                                            key.project(), filter);
                                })
                                .toList();
                    }));
                }));
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

    /** Per project, the values with the most downloads (as many as its limit) and the rest as other. */
    private Mono<Map<BreakdownKey, Breakdown>> breakdowns(Set<BreakdownKey> keys) {
        return byGroup(keys, key -> List.of(key.by(), key.filter()), (ignored, group) -> {
            BreakdownKey first = group.getFirst();
            Mono<Map<String, String>> names = first.by() == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
            return Mono.zip(downloads.totals(projects(group, BreakdownKey::project), first.filter(), first.by())
                            .contextWrite(QueryTrace.field("Project.breakdown (batched)")), names)
                    .map(both -> {
                        // Most downloaded first within each project, as the statement orders them.
                        Map<String, List<Downloads.Total>> byProject = both.getT1().stream().collect(Collectors.groupingBy(Downloads.Total::project));
                        return group.stream().collect(Collectors.toMap(key -> key, key -> {
                            List<Downloads.Total> totals = byProject.getOrDefault(key.project(), List.of());
                            List<BreakdownEntry> entries = totals.stream().limit(key.limit())
                                    .map(total -> new BreakdownEntry(total.value(), both.getT2().get(total.value()), total.downloads())).toList();
                            long all = totals.stream().mapToLong(Downloads.Total::downloads).sum();
                            long listed = entries.stream().mapToLong(BreakdownEntry::downloads).sum();
                            return new Breakdown(entries, all - listed, all);
                        }));
                    });
        });
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
