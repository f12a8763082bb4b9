package dev.pypianalytics.planner;

import java.time.LocalDate;
import java.util.List;

/**
 * How a table's rows lie on disk, as far as the planner's estimate of rows read needs it: whether its
 * sorting key leads with {@code project} (one project's rows are one narrow range per partition), how
 * many rows a granule holds (the least ClickHouse reads from a partition it cannot skip), and its
 * partitions with the days each holds.
 *
 * @param projectFirst whether the sorting key starts with {@code project}
 * @param granule      rows per granule (the table's {@code index_granularity}, as its parts show it)
 * @param partitions   the active partitions
 */
public record Layout(boolean projectFirst, long granule, List<Partition> partitions) {

    /** ClickHouse's default {@code index_granularity}. */
    public static final long DEFAULT_GRANULE = 8192;

    /**
     * One partition.
     *
     * @param from first day of its rows, or {@code null} when the table is not partitioned by day
     * @param to   last day of its rows, or {@code null}
     */
    public record Partition(LocalDate from, LocalDate to, long rows) {

        /** Whether a query restricted to {@code range} must read this partition. */
        public boolean overlaps(DateRange range) {
            return range == null || from == null || to == null || !(to.isBefore(range.from()) || from.isAfter(range.to()));
        }
    }

    public Layout {
        granule = Math.max(1, granule);
        partitions = List.copyOf(partitions);
    }

    /** A table sorted by project, in one partition of {@code rows} rows, default granules. */
    public static Layout unpartitioned(long rows) {
        return new Layout(true, DEFAULT_GRANULE, List.of(new Partition(null, null, rows)));
    }

    public long rows() {
        return partitions.stream().mapToLong(Partition::rows).sum();
    }
}
