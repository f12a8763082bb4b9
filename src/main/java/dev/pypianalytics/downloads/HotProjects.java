package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The hot projects of {@link Trends#hot} with their growth and their monthly downloads over the year that ends
 * with the month they grew in: one statement for the list, one for all their series.
 */
@Service
public class HotProjects {

    /**
     * A project's growth from {@code previous} (the month before) to {@code current} (downloads in {@code month}).
     *
     * @param growth  {@code current / previous}
     * @param monthly its downloads per month over the year ending with {@code month}
     */
    public record Hot(String project, LocalDate month, long previous, long current, double growth, List<Bucket> monthly) {
    }

    /** The hot projects, most growth first, and the filter their monthly series were counted under. */
    public record Listing(DownloadFilter year, List<Hot> projects) {
    }

    private final Trends trends;
    private final Downloads downloads;

    public HotProjects(Trends trends, Downloads downloads) {
        this.trends = trends;
        this.downloads = downloads;
    }

    /** The hot projects as of {@code asOf} (see {@link Trends#hot}); empty when none qualifies. */
    public Mono<Listing> of(LocalDate asOf, long minimum, int limit) {
        return trends.hot(asOf, minimum, limit).filter(hot -> !hot.isEmpty()).flatMap(hot -> {
            DownloadFilter year = yearEndingWith(hot.getFirst().month());
            return downloads.series(hot.stream().map(Trends.Hot::project).toList(), year, Granularity.MONTH, null)
                    .map(points -> new Listing(year, withSeries(hot, points)));
        });
    }

    /** Every download (CI or not) in the twelve months that end with {@code month} (its first day). */
    static DownloadFilter yearEndingWith(LocalDate month) {
        return new DownloadFilter(new DateRange(month.minusMonths(11), month.plusMonths(1).minusDays(1)), Map.of(), List.of(),
                DownloadFilter.CiMode.ALL);
    }

    /** Each hot project, in the list's order, with its growth and its series from the points (none: an empty series). */
    static List<Hot> withSeries(List<Trends.Hot> hot, List<Downloads.Point> points) {
        Map<String, List<Bucket>> series = Bucket.byProject(points);
        return hot.stream().map(h -> new Hot(h.project(), h.month(), h.previous(), h.current(), (double) h.current() / h.previous(),
                series.getOrDefault(h.project(), List.of()))).toList();
    }
}
