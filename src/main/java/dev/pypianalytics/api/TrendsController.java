package dev.pypianalytics.api;

import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.api.types.HotProject;
import dev.pypianalytics.api.types.RankedProject;
import dev.pypianalytics.api.types.Release;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.Trends;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * {@code Query.trends}: every list counts back from the data's last day, looked up once per request
 * (arguments are checked by {@link FieldRules} before the request runs).
 */
@Controller
class TrendsController {

    private final Trends trends;
    private final Downloads downloads;

    private final BucketCoverage coverage;

    TrendsController(Trends trends, Downloads downloads, BucketCoverage coverage) {
        this.trends = trends;
        this.downloads = downloads;
        this.coverage = coverage;
    }

    /** The GraphQL {@code Trends}: the data's last day (empty for an empty warehouse). */
    record TrendsRoot(Mono<LocalDate> asOf) {
    }

    @QueryMapping
    TrendsRoot trends() {
        return new TrendsRoot(downloads.lastDay().cache());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<LocalDate> asOf(TrendsRoot root) {
        return root.asOf();
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<RankedProject>> top(TrendsRoot root, @Argument int days, @Argument DownloadFilter.CiMode ci, @Argument int limit) {
        return root.asOf().flatMap(asOf -> trends.top(asOf, days, ci, limit)).map(TrendsController::ranked).defaultIfEmpty(List.of());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<RankedProject>> emerging(TrendsRoot root, @Argument int months, @Argument int limit) {
        return root.asOf().flatMap(asOf -> trends.emerging(asOf, months, limit)).map(TrendsController::ranked).defaultIfEmpty(List.of());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<RankedProject>> needingRefresh(TrendsRoot root, @Argument int months, @Argument int limit) {
        return root.asOf().flatMap(asOf -> trends.needingRefresh(asOf, months, limit)).map(TrendsController::ranked).defaultIfEmpty(List.of());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<HotProject>> hot(TrendsRoot root, @Argument long minDownloads, @Argument int limit) {
        return root.asOf().flatMap(asOf -> trends.hot(asOf, minDownloads, limit).flatMap(hot -> {
            if (hot.isEmpty()) {
                return Mono.just(List.<HotProject>of());
            }
            LocalDate month = hot.getFirst().month();
            DownloadFilter year = new DownloadFilter(new DateRange(month.minusMonths(11), month.plusMonths(1).minusDays(1)),
                    Map.of(), List.of(), DownloadFilter.CiMode.ALL);
            // One series query for all the hot projects; a first month the data starts inside of is marked partial.
            Mono<List<HotProject>> projects = downloads.series(hot.stream().map(Trends.Hot::project).toList(), year, Granularity.MONTH, null)
                    .map(points -> {
                        Map<String, List<DailyDownloads>> series = DailyDownloads.byProject(points);
                        return hot.stream().map(h -> new HotProject(h.project(), h.month(), h.previous(), h.current(),
                                (double) h.current() / h.previous(), series.getOrDefault(h.project(), List.of()))).toList();
                    });
            return coverage.mark(projects, year, Granularity.MONTH, PartialBuckets.INCLUDE, (list, mark) -> list.stream()
                    .map(h -> new HotProject(h.name(), h.month(), h.previousMonth(), h.lastMonth(), h.growth(), mark.apply(h.monthly())))
                    .toList());
        })).defaultIfEmpty(List.of());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<Release>> recentReleases(TrendsRoot root, @Argument int limit) {
        return trends.recentReleases(limit).map(list -> list.stream().map(r -> new Release(r.project(), r.version(), r.day())).toList());
    }

    private static List<RankedProject> ranked(List<Trends.Ranked> ranked) {
        return ranked.stream().map(r -> new RankedProject(r.project(), r.downloads())).toList();
    }
}
