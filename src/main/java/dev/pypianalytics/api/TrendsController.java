package dev.pypianalytics.api;

import dev.pypianalytics.api.types.HotProject;
import dev.pypianalytics.api.types.RankedProject;
import dev.pypianalytics.api.types.Release;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.HotProjects;
import dev.pypianalytics.downloads.Trends;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;

/**
 * {@code Query.trends}: every list counts back from the data's last day, looked up once per request
 * (arguments are checked by {@link FieldRules} before the request runs).
 */
@Controller
class TrendsController {

    private final Trends trends;
    private final HotProjects hotProjects;
    private final Downloads downloads;
    private final BucketCoverage coverage;

    TrendsController(Trends trends, HotProjects hotProjects, Downloads downloads, BucketCoverage coverage) {
        this.trends = trends;
        this.hotProjects = hotProjects;
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

    /** A first month the data starts inside of is marked partial. */
    @SchemaMapping(typeName = "Trends")
    Mono<List<HotProject>> hot(TrendsRoot root, @Argument long minDownloads, @Argument int limit) {
        return root.asOf().flatMap(asOf -> hotProjects.of(asOf, minDownloads, limit))
                .flatMap(hot -> coverage.mark(Mono.just(hot.projects().stream().map(HotProject::of).toList()), hot.year(), Granularity.MONTH,
                        PartialBuckets.INCLUDE, (projects, mark) -> projects.stream().map(h -> h.withMonthly(mark.apply(h.monthly()))).toList()))
                .defaultIfEmpty(List.of());
    }

    @SchemaMapping(typeName = "Trends")
    Mono<List<Release>> recentReleases(TrendsRoot root, @Argument int limit) {
        return trends.recentReleases(limit).map(list -> list.stream().map(r -> new Release(r.project(), r.version(), r.day())).toList());
    }

    private static List<RankedProject> ranked(List<Trends.Ranked> ranked) {
        return ranked.stream().map(r -> new RankedProject(r.project(), r.downloads())).toList();
    }
}
