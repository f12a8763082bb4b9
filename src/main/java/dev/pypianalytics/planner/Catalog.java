package dev.pypianalytics.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables a question can be answered from, derived from the database's own description of them, and
 * the choice among them: the covering table with the fewest estimated rows read for the question
 * ({@link TableSpec#estimatedRowsRead}: its size, the partitions the question's days touch, and for a
 * question about some projects on a table sorted by project, their share of it but at least a granule
 * per partition), ties broken by the smaller table, then by name (never by declaration order), and the
 * raw table when nothing else covers.
 */
public final class Catalog {

    private static final Layout EMPTY = Layout.unpartitioned(0);

    private final List<TableSpec> aggregates;
    private final TableSpec raw;
    private final long projects;

    public Catalog(List<TableSpec> aggregates, TableSpec raw) {
        this.aggregates = List.copyOf(aggregates);
        this.raw = raw;
        this.projects = projectsOf(this.aggregates);
    }

    /** How many projects the warehouse has: the rows of its smallest per-project table with no dimension and no time. */
    private static long projectsOf(List<TableSpec> aggregates) {
        return aggregates.stream().filter(table -> table.dimensions().isEmpty() && table.time() == TimeKey.NONE)
                .mapToLong(TableSpec::rows).min().orElse(1);
    }

    /**
     * Derives the catalog from table columns: a per-project count table ({@code project} and {@code count}
     * columns) keeps the dimensions among its columns and the time of its {@code date} or {@code month}
     * column. Tables of another kind (first/last download, metadata) are left out.
     *
     * @param columns table → its column names
     * @param layouts table → how its rows lie (missing = empty)
     * @param rawName the raw table, one row per download
     */
    public static Catalog derive(Map<String, List<String>> columns, Map<String, Layout> layouts, String rawName) {
        List<TableSpec> aggregates = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            List<String> names = table.getValue();
            if (table.getKey().equals(rawName) || !names.contains("project") || !names.contains("count")) {
                continue;
            }
            aggregates.add(new TableSpec(table.getKey(), dimensionsOf(names), timeOf(names),
                    layouts.getOrDefault(table.getKey(), EMPTY), false));
        }
        List<String> rawColumns = columns.getOrDefault(rawName, List.of());
        TableSpec raw = new TableSpec(rawName, dimensionsOf(rawColumns), TimeKey.DAY, layouts.getOrDefault(rawName, EMPTY), true);
        return new Catalog(aggregates, raw);
    }

    private static Set<Dimension> dimensionsOf(List<String> columns) {
        Set<Dimension> dimensions = EnumSet.noneOf(Dimension.class);
        columns.forEach(column -> Dimension.ofColumn(column).ifPresent(dimensions::add));
        return dimensions;
    }

    private static TimeKey timeOf(List<String> columns) {
        return columns.contains("date") ? TimeKey.DAY : columns.contains("month") ? TimeKey.MONTH : TimeKey.NONE;
    }

    /** The table to answer a shape from. */
    public TableSpec choose(Shape shape) {
        return coveringAggregates(shape).stream().findFirst().orElse(raw);
    }

    /** Every aggregate that covers the shape, cheapest first. */
    public List<TableSpec> coveringAggregates(Shape shape) {
        // Each table's estimate and size once (both walk its partitions), then sort: this runs for every field.
        record Costed(TableSpec table, long estimate, long rows) {
        }
        return aggregates.stream()
                .filter(table -> table.covers(shape))
                .map(table -> new Costed(table, estimatedRowsRead(table, shape), table.rows()))
                .sorted(Comparator.comparingLong(Costed::estimate).thenComparingLong(Costed::rows)
                        .thenComparing(costed -> costed.table().name()))
                .map(Costed::table)
                .toList();
    }

    /** Rows ClickHouse is expected to read to answer the shape from the table. */
    public long estimatedRowsRead(TableSpec table, Shape shape) {
        return table.estimatedRowsRead(shape, projects);
    }

    /** How many projects the catalog estimates the warehouse has. */
    public long projects() {
        return projects;
    }

    public List<TableSpec> aggregates() {
        return aggregates;
    }

    public TableSpec raw() {
        return raw;
    }

    public Optional<TableSpec> table(String name) {
        return aggregates.stream().filter(table -> table.name().equals(name)).findFirst()
                .or(() -> raw.name().equals(name) ? Optional.of(raw) : Optional.empty());
    }
}
