package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.Layout;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's catalog, read from the database: the columns of its MergeTree tables (not the views that
 * feed them) from {@code system.columns}, whether they are sorted by project from {@code system.tables},
 * and their partitions (rows, granules, days) from the active parts in {@code system.parts}. Re-read at
 * most once a minute, so a new aggregate in {@code sql/} or a large load changes the plans without a
 * restart.
 */
@Service
public class WarehouseCatalog {

    static final String RAW_TABLE = "pypi";

    private final Mono<Catalog> catalog;

    public WarehouseCatalog(@ApiReads ClickHouse clickHouse, ApiProperties properties) {
        Mono<Catalog> read = properties.useAggregates() ? load(clickHouse)
                : load(clickHouse).map(all -> new Catalog(List.of(), all.raw()));
        this.catalog = read.contextWrite(RequestStatements::detached).cache(loaded -> Duration.ofMinutes(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    public Mono<Catalog> catalog() {
        return catalog;
    }

    /** One partition of a table as {@code system.parts} describes it. */
    record PartitionRow(String table, long rows, long granules, LocalDate from, LocalDate to) {
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

    private static Mono<Catalog> load(ClickHouse clickHouse) {
        Mono<Map<String, List<String>>> columns = clickHouse.query(Sql.of("""
                        SELECT table, name FROM system.columns
                        WHERE database = currentDatabase()
                          AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND endsWith(engine, 'MergeTree'))
                        ORDER BY table, position"""),
                        row -> Map.entry(row.getString("table"), row.getString("name")))
                .collect(LinkedHashMap::new, (map, column) ->
                        map.computeIfAbsent(column.getKey(), table -> new ArrayList<>()).add(column.getValue()));
        Mono<Map<String, Boolean>> projectFirst = clickHouse.query(Sql.of("""
                        SELECT name, sorting_key FROM system.tables
                        WHERE database = currentDatabase() AND endsWith(engine, 'MergeTree')"""),
                        row -> Map.entry(row.getString("name"), row.getString("sorting_key").matches("project\\b.*")))
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
                .collect(LinkedHashMap::new, (map, partition) ->
                        map.computeIfAbsent(partition.table(), table -> new ArrayList<>()).add(partition));
        return Mono.zip(columns, projectFirst, partitions).map(all -> {
            Map<String, Layout> layouts = new LinkedHashMap<>();
            all.getT1().keySet().forEach(table -> layouts.put(table,
                    layout(all.getT2().getOrDefault(table, false), all.getT3().getOrDefault(table, List.of()))));
            return Catalog.derive(all.getT1(), layouts, RAW_TABLE);
        });
    }
}
