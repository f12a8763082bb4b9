package dev.pypianalytics.planner;

import java.util.Set;

/**
 * A table as the planner sees it: its name (from the database, never from a request), the dimensions it
 * keeps, how finely it keeps time, and its estimated size.
 *
 * @param raw whether it is the raw table (one row per download: measured with {@code count()}), not
 *            an aggregate (measured with {@code sum(count)})
 */
public record TableSpec(String name, Set<Dimension> dimensions, TimeKey time, long rows, boolean raw) {

    public TableSpec {
        dimensions = Set.copyOf(dimensions);
    }

    /** Every needed dimension kept, time at least as fine as needed; counts re-aggregate by summing. */
    public boolean covers(Shape shape) {
        return dimensions.containsAll(shape.dimensions()) && time.serves(shape.neededTime());
    }

    /** The measure of downloads in this table. */
    public String measure() {
        return raw ? "count()" : "sum(count)";
    }

    /** The column holding time, if any. */
    public String timeColumn() {
        return switch (time) {
            case DAY -> "date";
            case MONTH -> "month";
            case NONE -> throw new IllegalStateException(name + " keeps no time");
        };
    }
}
