package dev.pypianalytics.downloads.catalog;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.Layout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The planner's catalog, read from the database: the columns of its MergeTree tables (not the views that
 * feed them) from {@code system.columns}, their sorting keys and sizes from {@code system.tables}, and
 * their partitions (rows, granules, days) from the active parts in {@code system.parts}. Re-read at most
 * once a minute, so a new aggregate in {@code sql/} or a large load changes the plans without a restart.
 *
 * <p>What it does not trust: a column a summing table does not sort by (merges collapse it, see
 * {@link Catalog#derive(Map, Map, Map, String)}); a table filled by a view with a {@code WHERE} clause (it
 * holds only part of the downloads, e.g. ClickPy's per-month table keeps the last six months); the tables of
 * {@code pypi.warehouse.ignore-tables}. A user who may not read {@code system.parts} (a shared public
 * instance's) gets estimates from {@code system.tables.total_rows} instead: no partition pruning, which is
 * logged once. On an attached warehouse the raw table is never chosen.
 */
@Service
public class WarehouseCatalog {

    static final String RAW_TABLE = "pypi";

    private static final Logger log = LoggerFactory.getLogger(WarehouseCatalog.class);

    /** The target of a materialized view in its {@code CREATE} statement: {@code TO [db.]table}. */
    private static final Pattern VIEW_TARGET = Pattern.compile("\\bTO\\s+(?:`?\\w+`?\\.)?`?(\\w+)`?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WHERE = Pattern.compile("\\bWHERE\\b", Pattern.CASE_INSENSITIVE);

    private final Mono<Catalog> catalog;
    private final Mono<Set<String>> replacing;
    private final AtomicBoolean partsFallbackLogged = new AtomicBoolean();

    public WarehouseCatalog(@ApiReads ClickHouse clickHouse, ApiProperties properties, WarehouseProperties warehouse) {
        Set<String> ignored = Set.copyOf(warehouse.ignoreTables());
        Mono<Catalog> read = load(clickHouse, ignored).map(all -> all.withRawScans(!warehouse.attached()));
        if (!properties.useAggregates() && !warehouse.attached()) {
            read = read.map(all -> new Catalog(List.of(), all.raw()));
        }
        this.catalog = read.contextWrite(RequestStatements::detached).cache(loaded -> Duration.ofMinutes(1), failed -> Duration.ZERO, () -> Duration.ZERO);
        this.replacing = clickHouse.query(Sql.of("""
                        SELECT name FROM system.tables WHERE database = currentDatabase() AND endsWith(engine, 'ReplacingMergeTree')"""),
                        row -> row.getString("name"))
                .collect(java.util.stream.Collectors.toUnmodifiableSet())
                .contextWrite(RequestStatements::detached)
                .cache(loaded -> Duration.ofMinutes(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /**
     * How to read {@code table} as its latest rows: {@code table FINAL} when it replaces rows in merges (our
     * {@code projects}, {@code countries}), the table itself otherwise (ClickPy's are plain MergeTree tables,
     * which refuse {@code FINAL}).
     *
     * @param table a table name written in the code (an identifier, never from a request)
     */
    public Mono<String> latestRowsOf(String table) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        return replacing.map(tables -> tables.contains(table) ? table + " FINAL" : table);
    }

    public Mono<Catalog> catalog() {
        return catalog;
    }

    /** One partition of a table as {@code system.parts} describes it. */
    record PartitionRow(String table, long rows, long granules, LocalDate from, LocalDate to) {
    }

    /** A table as {@code system.tables} describes it. */
    record TableRow(String name, String engine, List<String> sortingKey, long totalRows) {

        boolean projectFirst() {
            return !sortingKey.isEmpty() && sortingKey.getFirst().equals("project");
        }

        boolean sums() {
            return engine.endsWith("SummingMergeTree");
        }
    }

    static Layout layout(boolean projectFirst, List<PartitionRow> partitions) {
        long rows = 0;
        long granules = 0;
        List<Layout.Partition> parts = new ArrayList<>();
        for (PartitionRow partition : partitions) {
            rows += partition.rows();
            granules += partition.granules();
            boolean daily = !LocalDate.EPOCH.equals(partition.from()) || !LocalDate.EPOCH.equals(partition.to());
            parts.add(new Layout.Partition(daily ? partition.from() : null, daily ? partition.to() : null, partition.rows()));
        }
        long granule = granules > 0 ? (rows + granules - 1) / granules : Layout.DEFAULT_GRANULE;
        return new Layout(projectFirst, granule, parts);
    }

    /** The columns of a sorting key as {@code system.tables} writes it ({@code project, date, version}); expressions are left out. */
    static List<String> sortingColumns(String sortingKey) {
        List<String> columns = new ArrayList<>();
        for (String part : sortingKey.split(",")) {
            String column = part.strip().replace("`", "");
            if (column.matches("\\w+")) {
                columns.add(column);
            }
        }
        return columns;
    }

    /** The tables fed by a view that keeps only some downloads (its SELECT has a WHERE clause). */
    static Set<String> partiallyFed(Map<String, String> viewStatements) {
        Set<String> partial = new HashSet<>();
        viewStatements.forEach((view, statement) -> {
            int as = statement.toUpperCase(java.util.Locale.ROOT).indexOf(" AS ");
            Matcher target = VIEW_TARGET.matcher(as < 0 ? statement : statement.substring(0, as));
            if (target.find() && WHERE.matcher(as < 0 ? statement : statement.substring(as)).find()) {
                partial.add(target.group(1));
            }
        });
        return partial;
    }

    private Mono<Catalog> load(ClickHouse clickHouse, Set<String> ignored) {
        Mono<Map<String, List<String>>> columns = clickHouse.query(Sql.of("""
                        SELECT table, name FROM system.columns
                        WHERE database = currentDatabase()
                          AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND endsWith(engine, 'MergeTree'))
                        ORDER BY table, position"""),
                        row -> Map.entry(row.getString("table"), row.getString("name")))
                .collect(LinkedHashMap::new, (map, column) ->
                        map.computeIfAbsent(column.getKey(), table -> new ArrayList<>()).add(column.getValue()));
        Mono<Map<String, TableRow>> tables = clickHouse.query(Sql.of("""
                        SELECT name, engine, sorting_key, ifNull(total_rows, 0) AS total_rows FROM system.tables
                        WHERE database = currentDatabase() AND endsWith(engine, 'MergeTree')"""),
                        row -> new TableRow(row.getString("name"), row.getString("engine"), sortingColumns(row.getString("sorting_key")),
                                row.getLong("total_rows")))
                .collectMap(TableRow::name);
        Mono<Map<String, String>> views = clickHouse.query(Sql.of("""
                        SELECT name, create_table_query FROM system.tables
                        WHERE database = currentDatabase() AND engine = 'MaterializedView'"""),
                        row -> Map.entry(row.getString("name"), row.getString("create_table_query")))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        // Per partition: rows, granules (a part's marks less its final one) and the days it holds
        // (min_date/max_date are 1970-01-01 when the partition key is not a day).
        Mono<Map<String, List<PartitionRow>>> partitions = clickHouse.query(Sql.of("""
                        SELECT table, sum(rows) AS rows, sum(marks) - count() AS granules,
                               min(min_date) AS first_day, max(max_date) AS last_day
                        FROM system.parts WHERE database = currentDatabase() AND active
                        GROUP BY table, partition ORDER BY table, partition"""),
                        row -> new PartitionRow(row.getString("table"), row.getLong("rows"), row.getLong("granules"),
                                row.getDate("first_day"), row.getDate("last_day")))
                .collect(LinkedHashMap<String, List<PartitionRow>>::new, (map, partition) ->
                        map.computeIfAbsent(partition.table(), table -> new ArrayList<>()).add(partition))
                .<Map<String, List<PartitionRow>>>map(found -> found)
                .onErrorResume(ClickHouseException.class, refused -> {
                    // A shared instance's user may not read system.parts (ACCESS_DENIED): sizes from system.tables.
                    if (partsFallbackLogged.compareAndSet(false, true)) {
                        log.info("system.parts is not readable for this user ({}): the planner estimates rows read from "
                                + "system.tables.total_rows, without partition pruning", refused.getMessage());
                    }
                    return Mono.just(Map.of());
                });
        return Mono.zip(columns, tables, views, partitions).map(all -> {
            Map<String, List<String>> usable = new LinkedHashMap<>(all.getT1());
            Set<String> partial = partiallyFed(all.getT3());
            partial.forEach(table -> {
                if (usable.remove(table) != null) {
                    log.debug("Not planning with {}: the view that fills it keeps only some downloads", table);
                }
            });
            ignored.forEach(usable::remove);
            Map<String, List<String>> summingKeys = new HashMap<>();
            Map<String, Layout> layouts = new LinkedHashMap<>();
            usable.keySet().forEach(name -> {
                TableRow table = all.getT2().get(name);
                if (table == null) {
                    return;
                }
                if (table.sums()) {
                    summingKeys.put(name, table.sortingKey());
                }
                List<PartitionRow> parts = all.getT4().get(name);
                layouts.put(name, parts != null ? layout(table.projectFirst(), parts)
                        : new Layout(table.projectFirst(), Layout.DEFAULT_GRANULE,
                                List.of(new Layout.Partition(null, null, table.totalRows()))));
            });
            return Catalog.derive(usable, summingKeys, layouts, RAW_TABLE);
        });
    }
}
