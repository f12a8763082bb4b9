package dev.pypianalytics.planner;

import java.util.Set;

/**
 * A table as the planner sees it: its name (from the database, never from a request), the dimensions it
 * keeps, how finely it keeps time, and how its rows lie on disk.
 *
 * @param raw whether it is the raw table (one row per download: measured with {@code count()}), not
 *            an aggregate (measured with {@code sum(count)})
 */
public record TableSpec(String name, Set<Dimension> dimensions, TimeKey time, Layout layout, boolean raw) {

    public TableSpec {
        dimensions = Set.copyOf(dimensions);
    }

    /** A table sorted by project, unpartitioned, of {@code rows} rows. */
    public TableSpec(String name, Set<Dimension> dimensions, TimeKey time, long rows, boolean raw) {
        this(name, dimensions, time, Layout.unpartitioned(rows), raw);
    }

    /** Every needed dimension kept, time at least as fine as needed; counts re-aggregate by summing. */
    public boolean covers(Shape shape) {
        return dimensions.containsAll(shape.dimensions()) && time.serves(shape.neededTime());
    }

    /** Estimated rows (from the active parts). */
    public long rows() {
        return layout.rows();
    }

    /**
     * Estimated rows ClickHouse reads to answer {@code shape} here: the partitions the shape's days touch
     * (all of them without days or when the table is not partitioned by day); of those, when the question
     * is about some projects and the table is sorted by project, those projects' share of the rows
     * ({@code projects} = how many projects the warehouse has), but at least a granule per project and
     * partition.
     */
    public long estimatedRowsRead(Shape shape, long projects) {
        long rows = 0;
        long partitions = 0;
        for (Layout.Partition partition : layout.partitions()) {
            if (partition.overlaps(shape.range())) {
                rows += partition.rows();
                partitions++;
            }
        }
        if (shape.projects() == Shape.ALL_PROJECTS || !layout.projectFirst()) {
            return rows;
        }
        long share = (long) Math.ceil((double) rows * shape.projects() / Math.max(1, projects));
        long floor = Math.min(rows, shape.projects() * partitions * layout.granule());
        return Math.min(rows, Math.max(share, floor));
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
