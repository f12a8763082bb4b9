package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.sql.DownloadsSql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Download figures for any filter: the planner picks the table, the renderer writes the query. */
@Service
public class Downloads {

    /** Downloads of one project in one bucket (and one value of the grouped dimension, if any). */
    public record Point(String project, LocalDate period, String value, long downloads) {
    }

    /** Downloads of one project (for one value of the grouped dimension, if any). */
    public record Total(String project, String value, long downloads) {
    }

    private final ClickHouse clickHouse;
    private final WarehouseCatalog catalog;
    private final Mono<Map<String, String>> countryNames;

    public Downloads(ClickHouse clickHouse, WarehouseCatalog catalog) {
        this.clickHouse = clickHouse;
        this.catalog = catalog;
        this.countryNames = clickHouse.query(Sql.of("SELECT code, name FROM countries FINAL"),
                        row -> Map.entry(row.getString("code"), row.getString("name")))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .cache(names -> Duration.ofHours(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** A time series per project, bucketed by {@code granularity}, optionally split by {@code groupBy}. */
    public Mono<List<Point>> series(List<String> projects, DownloadFilter filter, Granularity granularity, Dimension groupBy) {
        return catalog.catalog().flatMap(tables -> {
            Sql sql = DownloadsSql.series(tables.choose(filter.shape(groupBy, granularity)), projects, filter, granularity, groupBy);
            return clickHouse.query(sql, row -> new Point(row.getString("project"), row.getDate("period"),
                    groupBy == null ? null : row.getString("value"), row.getLong("downloads"))).collectList();
        });
    }

    /** Totals per project, optionally split by {@code groupBy}, most downloaded first. */
    public Mono<List<Total>> totals(List<String> projects, DownloadFilter filter, Dimension groupBy) {
        return catalog.catalog().flatMap(tables -> {
            Sql sql = DownloadsSql.totals(tables.choose(filter.shape(groupBy, null)), projects, filter, groupBy);
            return clickHouse.query(sql, row -> new Total(row.getString("project"),
                    groupBy == null ? null : row.getString("value"), row.getLong("downloads"))).collectList();
        });
    }

    /** Downloads of one pair of values. */
    public record Cell(String first, String second, long downloads) {
    }

    /** Downloads of the projects per pair of values of two dimensions, most first. */
    public Mono<List<Cell>> matrix(List<String> projects, DownloadFilter filter, Dimension first, Dimension second) {
        return catalog.catalog().flatMap(tables -> {
            java.util.Set<Dimension> needed = java.util.EnumSet.of(first, second);
            needed.addAll(filter.dimensions());
            TableSpec table = tables.choose(new dev.pypianalytics.planner.Shape(needed, null, filter.range()));
            return clickHouse.query(DownloadsSql.matrix(table, projects, filter, first, second),
                    row -> new Cell(row.getString("first"), row.getString("second"), row.getLong("downloads"))).collectList();
        });
    }

    /** Downloads on a day, the 7 and the 30 days up to it. */
    public record Recent(String project, long day, long week, long month) {
    }

    /**
     * Downloads of each project on {@code asOf}, the 7 and the 30 days up to it (the filter's own date
     * range is replaced by those 30 days).
     */
    public Mono<List<Recent>> recent(List<String> projects, DownloadFilter filter, LocalDate asOf) {
        DownloadFilter lastMonth = new DownloadFilter(new dev.pypianalytics.planner.DateRange(asOf.minusDays(29), asOf),
                filter.values(), filter.versionPrefixes(), filter.ci());
        return catalog.catalog().flatMap(tables -> {
            Sql sql = DownloadsSql.recent(tables.choose(lastMonth.shape(null, Granularity.DAY)), projects, lastMonth, asOf);
            return clickHouse.query(sql, row -> new Recent(row.getString("project"), row.getLong("day"), row.getLong("week"),
                    row.getLong("month"))).collectList();
        });
    }

    /** The last day with downloads in the warehouse (what "last day/week/month" count back from). */
    public Mono<LocalDate> lastDay() {
        return clickHouse.queryOne(Sql.of("SELECT max(max_date) AS last, count() AS n FROM pypi_downloads_max_min"),
                row -> row.getLong("n") == 0 ? null : row.getDate("last"));
    }

    /** ISO country code → English name. */
    public Mono<Map<String, String>> countryNames() {
        return countryNames;
    }
}
