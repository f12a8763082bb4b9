package dev.pypianalytics.api.types;

import dev.pypianalytics.downloads.Comparison;

import java.util.List;

/** One project's series in a comparison. */
public record ProjectSeries(String name, List<DailyDownloads> downloads) {

    /** A compared project's series, its buckets not (yet) known to be partial. */
    public static ProjectSeries of(Comparison.Series series) {
        return new ProjectSeries(series.project(), DailyDownloads.of(series.buckets()));
    }

    /** The same project with these buckets. */
    public ProjectSeries withDownloads(List<DailyDownloads> buckets) {
        return new ProjectSeries(name, buckets);
    }
}
