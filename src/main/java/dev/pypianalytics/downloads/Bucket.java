package dev.pypianalytics.downloads;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Downloads in one bucket of a time series ({@code period}: the bucket's first day). */
public record Bucket(LocalDate period, long downloads) {

    /** Each project's series from a statement's points (by project, then bucket: their order is kept). */
    public static Map<String, List<Bucket>> byProject(List<Downloads.Point> points) {
        return points.stream().collect(Collectors.groupingBy(Downloads.Point::project,
                Collectors.mapping(point -> new Bucket(point.period(), point.downloads()), Collectors.toList())));
    }
}
