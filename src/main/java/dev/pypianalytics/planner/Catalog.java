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
 * the choice among them: the cheapest covering table by estimated rows, ties broken by name (never by
 * declaration order), and the raw table when nothing else covers.
 */
public final class Catalog {

    private final List<TableSpec> aggregates;
    private final TableSpec raw;

    public Catalog(List<TableSpec> aggregates, TableSpec raw) {
        this.aggregates = List.copyOf(aggregates);
        this.raw = raw;
    }

    /**
     * Derives the catalog from table columns: a per-project count table ({@code project} and {@code count}
     * columns) keeps the dimensions among its columns and the time of its {@code date} or {@code month}
     * column. Tables of another kind (first/last download, metadata) are left out.
     *
     * @param columns table → its column names
     * @param rows    table → estimated rows (missing = 0)
     * @param rawName the raw table, one row per download
     */
    public static Catalog derive(Map<String, List<String>> columns, Map<String, Long> rows, String rawName) {
        List<TableSpec> aggregates = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            List<String> names = table.getValue();
            if (table.getKey().equals(rawName) || !names.contains("project") || !names.contains("count")) {
                continue;
            }
            aggregates.add(new TableSpec(table.getKey(), dimensionsOf(names), timeOf(names),
                    rows.getOrDefault(table.getKey(), 0L), false));
        }
        List<String> rawColumns = columns.getOrDefault(rawName, List.of());
        TableSpec raw = new TableSpec(rawName, dimensionsOf(rawColumns), TimeKey.DAY, rows.getOrDefault(rawName, 0L), true);
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
        return aggregates.stream()
                .filter(table -> table.covers(shape))
                .sorted(Comparator.comparingLong(TableSpec::rows).thenComparing(TableSpec::name))
                .toList();
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
