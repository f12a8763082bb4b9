package dev.pypianalytics.api.types;

import dev.pypianalytics.downloads.Downloads;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** Each project's series from a statement's points (by project, then bucket: their order is kept). */
    public static Map<String, List<DailyDownloads>> byProject(List<Downloads.Point> points) {
        return points.stream().collect(Collectors.groupingBy(Downloads.Point::project,
                Collectors.mapping(point -> new DailyDownloads(point.period(), point.downloads()), Collectors.toList())));
    }
}
