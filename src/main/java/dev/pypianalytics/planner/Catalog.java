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
 * raw table when nothing else covers — unless scanning the raw table is not allowed (an attached warehouse of
 * hundreds of billions of rows): then a question no aggregate covers is refused ({@link NotCovered}) with what
 * the warehouse lacks.
 */
public final class Catalog {

    private static final Layout EMPTY = Layout.unpartitioned(0);

    private final List<TableSpec> aggregates;
    private final TableSpec raw;
    private final long projects;
    private final boolean rawScans;

    /** A question that only the raw table could answer, where scanning it is not allowed. */
    public static final class NotCovered extends RuntimeException {
        public NotCovered(String message) {
            super(message);
        }
    }

    public Catalog(List<TableSpec> aggregates, TableSpec raw) {
        this(aggregates, raw, true);
    }

    /** @param rawScans whether a question no aggregate covers may be answered by scanning the raw table */
    public Catalog(List<TableSpec> aggregates, TableSpec raw, boolean rawScans) {
        this.aggregates = List.copyOf(aggregates);
        this.raw = raw;
        this.projects = projectsOf(this.aggregates);
        this.rawScans = rawScans;
    }

    /** The same tables, with raw scans allowed or not. */
    public Catalog withRawScans(boolean allowed) {
        return new Catalog(aggregates, raw, allowed);
    }

    public boolean rawScans() {
        return rawScans;
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
        return derive(columns, Map.of(), layouts, rawName);
    }

    /**
     * As {@link #derive(Map, Map, String)}, for tables whose merges sum rows by their sorting key
     * ({@code SummingMergeTree}): a column outside that key is not a dimension of the table, whatever its
     * name — merges add up rows that differ only in it and keep one of its values (ClickPy's
     * installer × type table groups by {@code type} but sorts without it, so its {@code type} is wrong after
     * merges).
     *
     * @param summingKeys table → the columns of its sorting key, for the tables that sum by it
     */
    public static Catalog derive(Map<String, List<String>> columns, Map<String, List<String>> summingKeys,
                                 Map<String, Layout> layouts, String rawName) {
        List<TableSpec> aggregates = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            List<String> names = table.getValue();
            if (table.getKey().equals(rawName) || !names.contains("project") || !names.contains("count")) {
                continue;
            }
            List<String> kept = summingKeys.containsKey(table.getKey())
                    ? names.stream().filter(summingKeys.get(table.getKey())::contains).toList() : names;
            aggregates.add(new TableSpec(table.getKey(), dimensionsOf(kept), timeOf(names),
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

    /** The table to answer a shape from; {@link NotCovered} when only the raw table would and it may not be scanned. */
    public TableSpec choose(Shape shape) {
        return coveringAggregates(shape).stream().findFirst().orElseGet(() -> {
            if (!rawScans) {
                throw new NotCovered(whatIsMissing(shape));
            }
            return raw;
        });
    }

    /** Why no aggregate covers the shape, in the API's words (dimension names as the schema spells them). */
    String whatIsMissing(Shape shape) {
        Set<Dimension> missing = EnumSet.noneOf(Dimension.class);
        missing.addAll(shape.dimensions());
        aggregates.forEach(table -> missing.removeAll(table.dimensions()));
        String refusal = " This warehouse is attached read-only and its raw downloads table is never scanned.";
        if (!missing.isEmpty()) {
            return "This warehouse keeps no downloads by " + names(missing) + ", so it cannot filter or group by "
                    + (missing.size() == 1 ? "it" : "them") + "." + refusal;
        }
        boolean daily = shape.neededTime() == TimeKey.DAY;
        return "This warehouse has no table of downloads by " + (shape.dimensions().isEmpty() ? "project" : names(shape.dimensions()) + " together")
                + (daily ? " by day" : shape.neededTime() == TimeKey.MONTH ? " by month" : "")
                + ", so it cannot answer this combination" + (daily ? " (ask for whole months, or fewer filters)" : " (use fewer filters)")
                + "." + refusal;
    }

    private static String names(Set<Dimension> dimensions) {
        return String.join(", ", dimensions.stream().map(Dimension::name).toList());
    }

    /** The dimensions some aggregate keeps at time {@code time} or finer: what filters and groupings it can answer then. */
    public Set<Dimension> dimensions(TimeKey time) {
        Set<Dimension> kept = EnumSet.noneOf(Dimension.class);
        aggregates.stream().filter(table -> table.time().serves(time)).forEach(table -> kept.addAll(table.dimensions()));
        if (rawScans) {
            kept.addAll(raw.dimensions());
        }
        return kept;
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
