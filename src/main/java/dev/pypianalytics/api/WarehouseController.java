package dev.pypianalytics.api;

import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.api.types.ProjectSeries;
import dev.pypianalytics.api.types.Stats;
import dev.pypianalytics.downloads.DataFreshness;
import dev.pypianalytics.downloads.Downloads;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code Query.compare}, {@code Query.stats}, {@code Query.freshness} and {@code Query.capabilities}. */
@Controller
class WarehouseController {

    private final Downloads downloads;
    private final WarehouseStats stats;
    private final WarehouseCapabilities capabilities;
    private final BucketCoverage coverage;
    private final DataFreshness freshness;

    WarehouseController(Downloads downloads, WarehouseStats stats, WarehouseCapabilities capabilities, BucketCoverage coverage,
                        DataFreshness freshness) {
        this.freshness = freshness;
        this.coverage = coverage;
        this.downloads = downloads;
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
        List<String> projects = List.copyOf(names.stream().map(name -> ProjectName.of(name).value())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        DownloadFilter checked = DownloadFilterInput.toFilter(filter);
        Granularity buckets = granularity.weeksStartingOn(weekStart);
        return coverage.mark(downloads.series(projects, checked, buckets, null).contextWrite(QueryTrace.field(environment.getExecutionStepInfo().getPath().toString())).map(points -> {
            Map<String, List<DailyDownloads>> byProject = DailyDownloads.byProject(points);
            // In the order asked, each once; a project without downloads in the range gets an empty series.
            return projects.stream().map(project -> new ProjectSeries(project, byProject.getOrDefault(project, List.of()))).toList();
        }), checked, buckets, partialBuckets, (all, mark) -> all.stream().map(series -> new ProjectSeries(series.name(),
                mark.apply(series.downloads()))).toList());
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
