package dev.pypianalytics.api;

import dev.pypianalytics.api.types.ProjectSeries;
import dev.pypianalytics.api.types.Stats;
import dev.pypianalytics.downloads.Comparison;
import dev.pypianalytics.downloads.DataFreshness;
import dev.pypianalytics.downloads.QueryTrace;
import dev.pypianalytics.downloads.WarehouseCapabilities;
import dev.pypianalytics.downloads.WarehouseStats;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/** {@code Query.compare}, {@code Query.stats}, {@code Query.freshness} and {@code Query.capabilities}. */
@Controller
class WarehouseController {

    private final Comparison comparison;
    private final WarehouseStats stats;
    private final WarehouseCapabilities capabilities;
    private final BucketCoverage coverage;
    private final DataFreshness freshness;

    WarehouseController(Comparison comparison, WarehouseStats stats, WarehouseCapabilities capabilities, BucketCoverage coverage,
                        DataFreshness freshness) {
        this.freshness = freshness;
        this.coverage = coverage;
        this.comparison = comparison;
        this.stats = stats;
        this.capabilities = capabilities;
    }

    @QueryMapping
    Mono<WarehouseCapabilities.Answer> capabilities() {
        return capabilities.current();
    }

    @QueryMapping
    Mono<List<ProjectSeries>> compare(@Argument List<String> names, @Argument DownloadFilterInput filter, @Argument Granularity granularity,
                                      @Argument DayOfWeek weekStart, @Argument PartialBuckets partialBuckets, DataFetchingEnvironment environment) {
        List<String> projects = names.stream().map(name -> ProjectName.of(name).value()).toList();
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        Granularity buckets = granularity.weeksStartingOn(weekStart);
        String field = environment.getExecutionStepInfo().getPath().toString();
        return coverage.mark(comparison.of(projects, checked, buckets).contextWrite(QueryTrace.field(field))
                        .map(all -> all.stream().map(ProjectSeries::of).toList()), checked, buckets, partialBuckets,
                (all, mark) -> all.stream().map(series -> series.withDownloads(mark.apply(series.downloads()))).toList());
    }

    @QueryMapping
    Mono<Stats> stats() {
        return stats.totals().map(totals -> new Stats(totals.downloads(), totals.projects(), totals.firstDay(), totals.lastDay()));
    }

    @QueryMapping("freshness")
    Mono<DataFreshness.Report> freshness(GraphQLContext context) {
        // Its lag grows by the second and its file counts move without the data's version: never kept.
        VolatileAnswer.mark(context);
        return freshness.report();
    }

    @SchemaMapping
    Mono<LocalDate> lastCompleteDay(Stats parent) {
        return stats.lastCompleteDay();
    }

    @SchemaMapping
    Mono<List<WarehouseStats.Gap>> gaps(Stats parent) {
        return stats.gaps();
    }

    @SchemaMapping
    Mono<List<WarehouseStats.Repair>> repairs(Stats parent) {
        return stats.repairs();
    }

}
