package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time series split by a dimension: per project a series for each of its values with the most downloads in
 * the period and one for all its other values. Leaders are chosen and the others summed in ClickHouse
 * ({@link Downloads#topSeries}), one statement for all the projects asked.
 */
@Service
public class SplitSeries {

    /** The value listed for the series of all other values. */
    public static final String OTHER = "other";

    /** One series: a value ({@code name}: its readable name, if any), or the other values ({@code other}). */
    public record Line(String value, String name, boolean other, List<Bucket> buckets) {
    }

    private final Downloads downloads;

    public SplitSeries(Downloads downloads) {
        this.downloads = downloads;
    }

    /**
     * Per project, its {@code top} values of {@code by} with the most downloads under the filter (ties by
     * value), most first, then the other values' series if they have downloads; a project without downloads
     * has no series.
     */
    public Mono<Map<String, List<Line>>> of(List<String> projects, Dimension by, DownloadFilter filter, Granularity granularity, int top) {
        Mono<Map<String, String>> names = by == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
        return Mono.zip(downloads.topSeries(projects, filter, granularity, by, top), names).map(both -> {
            Map<String, List<Line>> lines = new LinkedHashMap<>();
            String project = null;
            int slot = 0;
            List<Bucket> buckets = null;
            // By project, slot and bucket: a new line wherever the project or the slot changes.
            for (Downloads.SlotPoint point : both.getT1()) {
                if (!point.project().equals(project) || point.slot() != slot) {
                    project = point.project();
                    slot = point.slot();
                    buckets = new ArrayList<>();
                    boolean other = slot > top;
                    lines.computeIfAbsent(project, p -> new ArrayList<>()).add(other ? new Line(OTHER, null, true, buckets)
                            : new Line(point.value(), both.getT2().get(point.value()), false, buckets));
                }
                buckets.add(new Bucket(point.period(), point.downloads()));
            }
            Map<String, List<Line>> all = new LinkedHashMap<>();
            projects.forEach(name -> all.put(name, lines.getOrDefault(name, List.of()).stream()
                    .map(line -> new Line(line.value(), line.name(), line.other(), List.copyOf(line.buckets()))).toList()));
            return all;
        });
    }
}
