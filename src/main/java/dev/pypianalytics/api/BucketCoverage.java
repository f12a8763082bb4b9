package dev.pypianalytics.api;

import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.downloads.DataVersion;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Marks the buckets of a series that cover only part of their period — a week, month, quarter or year cut
 * by the filter's date range or by the first or last day with data — so a chart does not read a cut
 * bucket as a drop; and leaves them out when asked ({@link PartialBuckets#EXCLUDE}). The days with data
 * come from {@link DataVersion} (no statement of the request's own).
 */
@Component
class BucketCoverage {

    private final DataVersion versions;

    BucketCoverage(DataVersion versions) {
        this.versions = versions;
    }

    /** The series of a field, marked (and filtered) once the days with data are known. */
    <T> CompletableFuture<T> mark(CompletableFuture<T> answer, DownloadFilter filter, Granularity granularity, PartialBuckets mode,
                                  BiFunction<T, UnaryOperator<List<DailyDownloads>>, T> eachSeries) {
        return answer.thenCombine(withData().toFuture(), (series, span) -> eachSeries.apply(series, marking(filter, granularity, mode, span)));
    }

    /** As {@link #mark(CompletableFuture, DownloadFilter, Granularity, PartialBuckets, BiFunction)}, for a field answered with a {@link Mono}. */
    <T> Mono<T> mark(Mono<T> answer, DownloadFilter filter, Granularity granularity, PartialBuckets mode,
                     BiFunction<T, UnaryOperator<List<DailyDownloads>>, T> eachSeries) {
        return answer.zipWith(withData(), (series, span) -> eachSeries.apply(series, marking(filter, granularity, mode, span)));
    }

    private Mono<Optional<DateRange>> withData() {
        // While the warehouse is down, cached answers are still served: so are the days with data last read.
        return versions.current().onErrorResume(down -> Mono.justOrEmpty(versions.lastRead()).switchIfEmpty(Mono.error(down)))
                .map(snapshot -> Optional.ofNullable(snapshot.span())).defaultIfEmpty(Optional.empty());
    }

    private static UnaryOperator<List<DailyDownloads>> marking(DownloadFilter filter, Granularity granularity, PartialBuckets mode,
                                                               Optional<DateRange> withData) {
        DateRange covered = covered(filter, withData.orElse(null));
        return points -> marked(points, granularity, covered, mode);
    }

    /** The days a series counts: the filter's range within the days with data ({@code null}: none). */
    static DateRange covered(DownloadFilter filter, DateRange withData) {
        if (withData == null) {
            return null;
        }
        return filter.range() == null ? withData : filter.range().intersection(withData);
    }

    /** Each bucket marked partial or not; the partial ones left out when {@code mode} says so. */
    static List<DailyDownloads> marked(List<DailyDownloads> points, Granularity granularity, DateRange covered, PartialBuckets mode) {
        if (covered == null) {
            // No days counted: no bucket has downloads to mark.
            return points;
        }
        return points.stream()
                .map(point -> new DailyDownloads(point.date(), point.downloads(), granularity.partial(point.date(), covered)))
                .filter(point -> mode != PartialBuckets.EXCLUDE || !point.partial())
                .toList();
    }
}
