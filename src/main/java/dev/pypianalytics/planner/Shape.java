package dev.pypianalytics.planner;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a question needs from a table, whatever its values: the dimensions it filters or groups by, the
 * time granularity of its series (or none), and whether it restricts days.
 *
 * @param dimensions  filtered ∪ grouped dimensions
 * @param granularity buckets of the series, or {@code null} for a single figure
 * @param range       the days asked for, or {@code null} for all time
 */
public record Shape(Set<Dimension> dimensions, Granularity granularity, DateRange range) {

    public Shape {
        dimensions = dimensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(dimensions));
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
