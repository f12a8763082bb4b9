package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/** Projects side by side: each one's time series under the same filter, one statement for all of them. */
@Service
public class Comparison {

    /** One project's series, bucket by bucket. */
    public record Series(String project, List<Bucket> buckets) {
    }

    private final Downloads downloads;

    public Comparison(Downloads downloads) {
        this.downloads = downloads;
    }

    /** Each project once, in the order first named, with its series (empty when it has no downloads under the filter). */
    public Mono<List<Series>> of(List<String> projects, DownloadFilter filter, Granularity granularity) {
        List<String> distinct = projects.stream().distinct().toList();
        return downloads.series(distinct, filter, granularity, null).map(points -> inOrder(distinct, points));
    }

    /** The projects' series from a statement's points, in the order of {@code projects}. */
    static List<Series> inOrder(List<String> projects, List<Downloads.Point> points) {
        Map<String, List<Bucket>> byProject = Bucket.byProject(points);
        return projects.stream().map(project -> new Series(project, byProject.getOrDefault(project, List.of()))).toList();
    }
}
