package dev.pypianalytics.planner;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a question needs from a table, whatever its values: the dimensions it filters or groups by, the
 * time granularity of its series (or none), whether it restricts days, and how many projects it is about.
 *
 * @param dimensions  filtered ∪ grouped dimensions
 * @param granularity buckets of the series, or {@code null} for a single figure
 * @param range       the days asked for, or {@code null} for all time
 * @param projects    how many projects the question names, or {@link #ALL_PROJECTS} (a ranking of all)
 */
public record Shape(Set<Dimension> dimensions, Granularity granularity, DateRange range, int projects) {

    /** A question over every project, such as the most downloaded ones. */
    public static final int ALL_PROJECTS = 0;

    public Shape {
        dimensions = dimensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(dimensions));
        if (projects < 0) {
            throw new IllegalArgumentException("projects must be positive or ALL_PROJECTS, got " + projects);
        }
    }

    /** A question about one project. */
    public Shape(Set<Dimension> dimensions, Granularity granularity, DateRange range) {
        this(dimensions, granularity, range, 1);
    }

    /** The same question about {@code count} projects ({@link #ALL_PROJECTS} for all). */
    public Shape ofProjects(int count) {
        return new Shape(dimensions, granularity, range, count);
    }

    /** The coarsest time key that answers this shape. */
    public TimeKey neededTime() {
        if (granularity == null && range == null) {
            return TimeKey.NONE;
        }
        boolean monthlyBuckets = granularity == null || granularity.needs() == TimeKey.MONTH;
        boolean monthlyRange = range == null || range.monthAligned();
        return monthlyBuckets && monthlyRange ? TimeKey.MONTH : TimeKey.DAY;
    }
}
