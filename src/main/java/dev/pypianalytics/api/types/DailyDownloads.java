package dev.pypianalytics.api.types;

import dev.pypianalytics.downloads.Bucket;

import java.time.LocalDate;
import java.util.List;

/**
 * Downloads in one bucket of a time series.
 *
 * @param partial whether the bucket covers only part of its period (the date range or the data's first or last day cuts it)
 */
public record DailyDownloads(LocalDate date, long downloads, boolean partial) {

    /** A bucket not (yet) known to be partial. */
    public DailyDownloads(LocalDate date, long downloads) {
        this(date, downloads, false);
    }

    /** A series' buckets, in their order, none (yet) known to be partial. */
    public static List<DailyDownloads> of(List<Bucket> buckets) {
        return buckets.stream().map(bucket -> new DailyDownloads(bucket.period(), bucket.downloads())).toList();
    }
}
