package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.planner.Catalog;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's catalog, read from the database: the columns of its MergeTree tables (not the views that
 * feed them) from {@code system.columns}, estimated
 * rows from the active parts in {@code system.parts}. Re-read at most once a minute, so a new aggregate
 * in {@code sql/} or a large load changes the plans without a restart.
 */
@Service
public class WarehouseCatalog {

    static final String RAW_TABLE = "pypi";

    private final Mono<Catalog> catalog;

    public WarehouseCatalog(@ApiReads ClickHouse clickHouse, ApiProperties properties) {
        Mono<Catalog> read = properties.useAggregates() ? load(clickHouse)
                : load(clickHouse).map(all -> new Catalog(List.of(), all.raw()));
        this.catalog = read.cache(loaded -> Duration.ofMinutes(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    public Mono<Catalog> catalog() {
        return catalog;
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
        Mono<Map<String, Long>> rows = clickHouse.query(Sql.of("""
                        SELECT table, sum(rows) AS rows FROM system.parts
                        WHERE database = currentDatabase() AND active GROUP BY table"""),
                        row -> Map.entry(row.getString("table"), row.getLong("rows")))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(columns, rows).map(both -> Catalog.derive(both.getT1(), both.getT2(), RAW_TABLE));
    }
}
