package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.QueryStatistics;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.MonthWindow;
import dev.pypianalytics.planner.Shape;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.statements.DownloadsSql;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Download figures for any filter: the planner picks the table, the renderer writes the query. */
@Service
public class Downloads {

    /** Downloads of one project in one bucket (and one value of the grouped dimension, if any). */
    public record Point(String project, LocalDate period, String value, long downloads) {
    }

    /** Downloads of one project (for one value of the grouped dimension, if any). */
    public record Total(String project, String value, long downloads) {
    }

    private static final java.util.Comparator<Total> BY_PROJECT_MOST_FIRST = java.util.Comparator.comparing(Total::project)
            .thenComparing(java.util.Comparator.comparingLong(Total::downloads).reversed())
            .thenComparing(total -> total.value() == null ? "" : total.value());

    private final ClickHouse clickHouse;
    private final WarehouseCatalog catalog;
    private final Mono<Map<String, String>> countryNames;

    private final ApiProperties limits;

    private final MeterRegistry meters;

    private final DataVersion versions;

    private final WholeResults wholeResults;

    private final RankingIndex rankings;

    public Downloads(@ApiReads ClickHouse clickHouse, DataVersion versions, WarehouseCatalog catalog,
                     ApiProperties limits, MeterRegistry meters, WholeResults wholeResults, RankingIndex rankings) {
        this.wholeResults = wholeResults;
        this.rankings = rankings;
        this.versions = versions;
        this.meters = meters;
        this.limits = limits;
        this.clickHouse = clickHouse;
        this.catalog = catalog;
        this.countryNames = catalog.latestRowsOf("countries").flatMap(from -> clickHouse.query(Sql.of("SELECT code, name FROM " + from),
                        row -> Map.entry(row.getString("code"), row.getString("name")))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue))
                .contextWrite(RequestStatements::detached)
                .cache(names -> Duration.ofHours(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** A time series per project, bucketed by {@code granularity}, optionally split by {@code groupBy}. */
    public Mono<List<Point>> series(List<String> projects, DownloadFilter filter, Granularity granularity, Dimension groupBy) {
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(groupBy, granularity).ofProjects(count(projects)));
            Sql sql = DownloadsSql.series(table, projects, filter, granularity, groupBy);
            // Unique per row, and the statement's own order: read in pages if the warehouse returns only so many rows.
            List<WholeResults.KeyColumn> key = groupBy == null
                    ? List.of(WholeResults.KeyColumn.text("project"), WholeResults.KeyColumn.date("period"))
                    : List.of(WholeResults.KeyColumn.text("project"), WholeResults.KeyColumn.date("period"), WholeResults.KeyColumn.text("value"));
            return traced(table, sql, key, row -> new Point(row.getString("project"), row.getDate("period"),
                    groupBy == null ? null : row.getString("value"), row.getLong("downloads")));
        });
    }

    /** Totals per project, optionally split by {@code groupBy}, most downloaded first. */
    public Mono<List<Total>> totals(List<String> projects, DownloadFilter filter, Dimension groupBy) {
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(groupBy, null).ofProjects(count(projects)));
            Sql sql = DownloadsSql.totals(table, projects, filter, groupBy);
            List<WholeResults.KeyColumn> key = groupBy == null ? List.of(WholeResults.KeyColumn.text("project"))
                    : List.of(WholeResults.KeyColumn.text("project"), WholeResults.KeyColumn.text("value"));
            return traced(table, sql, key, row -> new Total(row.getString("project"),
                    groupBy == null ? null : row.getString("value"), row.getLong("downloads")))
                    // Pages come in key order: back to the statement's (by project, most downloaded first, then value).
                    .map(totals -> totals.stream().sorted(BY_PROJECT_MOST_FIRST).toList());
        });
    }

    /** One of a project's leading values: its downloads, its position (1: most) and the project's total over all values. */
    public record RankedValue(String project, String value, long downloads, long position, long total) {
    }

    /**
     * Per project, its {@code top} values of {@code by} with the most downloads (ties by value), with the
     * project's total over all values: two statements, the values past {@code top} left in ClickHouse, the total
     * the {@link #totals} question (sent once when a request asks it too, as a package page does). By project, then position.
     */
    public Mono<List<RankedValue>> topValues(List<String> projects, DownloadFilter filter, Dimension by, int top) {
        Mono<List<Total>> leading = catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(by, null).ofProjects(count(projects)));
            return traced(table, DownloadsSql.topValues(table, projects, filter, by, top),
                    List.of(WholeResults.KeyColumn.text("project"), WholeResults.KeyColumn.text("value")),
                    row -> new Total(row.getString("project"), row.getString("value"), row.getLong("downloads")));
        });
        return Mono.zip(leading, totals(projects, filter, null)).map(both -> {
            Map<String, Long> totals = both.getT2().stream().collect(java.util.stream.Collectors.toMap(Total::project, Total::downloads, Long::sum));
            List<RankedValue> ranked = new java.util.ArrayList<>();
            String project = null;
            long position = 0;
            // Pages come in key order: back to the statement's (by project, most downloaded first, then value).
            for (Total value : both.getT1().stream().sorted(BY_PROJECT_MOST_FIRST).toList()) {
                position = value.project().equals(project) ? position + 1 : 1;
                project = value.project();
                ranked.add(new RankedValue(project, value.value(), value.downloads(), position, totals.getOrDefault(project, 0L)));
            }
            return ranked;
        });
    }

    /**
     * One bucket of a split series: {@code slot} 1 to top for a project's leading values (in order, {@code value}
     * the value), top + 1 for the sum of its other values ({@code value} empty).
     */
    public record SlotPoint(String project, int slot, String value, LocalDate period, long downloads) {
    }

    /**
     * Per project, a series for each of its {@code top} values of {@code by} with the most downloads in the
     * period (ties by value) and one for all its other values, in one statement. By project, slot, bucket.
     */
    public Mono<List<SlotPoint>> topSeries(List<String> projects, DownloadFilter filter, Granularity granularity, Dimension by, int top) {
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(by, granularity).ofProjects(count(projects)));
            return traced(table, DownloadsSql.topSeries(table, projects, filter, granularity, by, top),
                    List.of(WholeResults.KeyColumn.text("project"), WholeResults.KeyColumn.text("series"), WholeResults.KeyColumn.date("period")),
                    row -> new SlotPoint(row.getString("project"), (int) row.getLong("slot"), row.getString("value"), row.getDate("period"),
                            row.getLong("downloads")))
                    .map(points -> points.stream().sorted(java.util.Comparator.comparing(SlotPoint::project)
                            .thenComparingInt(SlotPoint::slot).thenComparing(SlotPoint::period)).toList());
        });
    }

    /** The most downloaded projects of all under the filter (a trends list). */
    public Mono<List<Total>> top(DownloadFilter filter, int limit) {
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(null, null).ofProjects(Shape.ALL_PROJECTS));
            return traced(table, DownloadsSql.top(table, filter, limit), null, row -> new Total(row.getString("project"), null, row.getLong("downloads")));
        });
    }

    /** How many projects a question names ({@code null}: all of them). */
    private static int count(List<String> projects) {
        return projects == null ? Shape.ALL_PROJECTS : Math.max(1, projects.size());
    }

    /** Downloads of one project with one pair of values. */
    public record Cell(String project, String first, String second, long downloads) {
    }

    /** Downloads of each project per pair of values of two dimensions, by project, most first. */
    public Mono<List<Cell>> matrix(List<String> projects, DownloadFilter filter, Dimension first, Dimension second) {
        return catalog.catalog().flatMap(tables -> {
            Set<Dimension> needed = EnumSet.of(first, second);
            needed.addAll(filter.dimensions());
            TableSpec table = tables.choose(new Shape(needed, null, filter.range(), count(projects)));
            return traced(table, DownloadsSql.matrix(table, projects, filter, first, second), null,
                    row -> new Cell(row.getString("project"), row.getString("first"), row.getString("second"), row.getLong("downloads")));
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
        return recent(projects, filter, asOf, MonthWindow.LAST_30_DAYS);
    }

    /**
     * Downloads of each project on {@code asOf}, the 7 days up to it and the month up to it as {@code month}
     * counts it (the filter's own date range is replaced by that month; it always holds the 7 days).
     */
    public Mono<List<Recent>> recent(List<String> projects, DownloadFilter filter, LocalDate asOf, MonthWindow month) {
        DownloadFilter lastMonth = filter.withRange(month.upTo(asOf));
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(lastMonth.shape(null, Granularity.DAY).ofProjects(count(projects)));
            Sql sql = DownloadsSql.recent(table, projects, lastMonth, asOf);
            return traced(table, sql, null, row -> new Recent(row.getString("project"), row.getLong("day"), row.getLong("week"),
                    row.getLong("month")));
        });
    }

    /** A project's position among all projects with downloads under a filter. */
    public record Rank(String project, long rank, long of) {
    }

    /**
     * Per project with downloads under the filter, its rank among all projects with downloads under it:
     * 1 + the number of projects with strictly more downloads (ties share the better rank), of how many.
     * The projects' own downloads are the question {@link #totals} asks (the same statement, sent once when a
     * request asks both); what they are counted among is read once per filter and data version for every
     * project ({@link RankingIndex}). Projects without downloads under the filter have no entry.
     */
    public Mono<Map<String, Rank>> ranking(List<String> projects, DownloadFilter filter) {
        return Mono.zip(totals(projects, filter, null), rankings.under(filter)).map(both -> {
            Map<String, Rank> ranks = new java.util.HashMap<>();
            for (Total total : both.getT1()) {
                if (total.downloads() != 0) {
                    ranks.put(total.project(), new Rank(total.project(), both.getT2().rankOf(total.downloads()), both.getT2().of()));
                }
            }
            return Map.copyOf(ranks);
        });
    }

    /** The last day with downloads in the warehouse (what "last day/week/month" count back from), read with the data's version. */
    public Mono<LocalDate> lastDay() {
        return versions.lastDay();
    }

    /**
     * Runs a planned query with the API's per-query limits (through the result cache: the API's port);
     * when the request asked for its query plan, what ClickHouse reports about the query (rows read, its
     * own time) is added to the plan (and the cache is bypassed, so the query really runs).
     */
    private <T> Mono<List<T>> traced(TableSpec table, Sql unlimited, List<WholeResults.KeyColumn> key, Function<ResultRow, T> mapper) {
        // API queries carry ClickHouse's own per-query limits; over them ClickHouse stops the query.
        Sql sql = unlimited.setting("max_rows_to_read", limits.maxRowsToRead()).setting("max_result_rows", limits.maxResultRows());
        meters.counter("pypi.planner.queries", "table", table.name()).increment();
        return Mono.deferContextual(context -> {
            Optional<QueryTrace> trace = context.getOrEmpty(QueryTrace.class);
            Mono<List<T>> rows = key == null ? clickHouse.query(sql, mapper).collectList() : wholeResults.read(sql, key, mapper);
            if (trace.isEmpty()) {
                return rows;
            }
            String field = QueryTrace.fieldOf(context);
            return rows
                    .contextWrite(QueryStatistics.listen(statistics -> trace.get().add(new QueryTrace.Entry(field, table.name(),
                            statistics.rowsRead(), statistics.elapsedMillis(), statistics.shared()))));
        });
    }

    /** ISO country code → English name. */
    public Mono<Map<String, String>> countryNames() {
        return countryNames;
    }
}
