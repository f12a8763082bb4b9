package dev.pypianalytics.statements;

import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.planner.TimeKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a download question on a chosen table to one {@link Sql}. Identifiers come from the table spec
 * and the {@link Dimension}/{@link Granularity} enums; every value (project names, days, filter values)
 * is a typed parameter ({@code {name:Type}}), its type written here where the column is known. Rows whose counts sum to zero (cancelled by a repair) are dropped.
 */
public final class DownloadsSql {

    private DownloadsSql() {
    }

    /**
     * Downloads per project and bucket (and value of {@code groupBy}, if given), ordered by project and bucket.
     * Columns: project, period, [value,] downloads.
     */
    public static Sql series(TableSpec table, List<String> projects, DownloadFilter filter, Granularity granularity, Dimension groupBy) {
        Sql grouped = groupedSeries(table, projects, filter, granularity, groupBy);
        return new Sql(grouped.text() + " ORDER BY project, period" + (groupBy != null ? ", value" : ""), grouped.bindings(), Map.of(), null);
    }

    /** {@link #series} without its order (to be composed into a larger statement). */
    private static Sql groupedSeries(TableSpec table, List<String> projects, DownloadFilter filter, Granularity granularity,
                                     Dimension groupBy) {
        return grouped(table, projects, filter, granularity.bucket(table.timeColumn()), groupBy);
    }

    /**
     * Downloads per project (and value of {@code groupBy}, if given), most downloaded first.
     * Columns: project, [value,] downloads.
     */
    public static Sql totals(TableSpec table, List<String> projects, DownloadFilter filter, Dimension groupBy) {
        Sql grouped = groupedTotals(table, projects, filter, groupBy);
        return new Sql(grouped.text() + " ORDER BY project, downloads DESC" + (groupBy != null ? ", value" : ""), grouped.bindings(),
                Map.of(), null);
    }

    /** {@link #totals} without its order (to be composed into a larger statement). */
    private static Sql groupedTotals(TableSpec table, List<String> projects, DownloadFilter filter, Dimension groupBy) {
        return grouped(table, projects, filter, null, groupBy);
    }

    /** Downloads per project, per period when {@code period} (a bucket expression) is given, per value of {@code groupBy} when given. */
    private static Sql grouped(TableSpec table, List<String> projects, DownloadFilter filter, String period, Dimension groupBy) {
        StringBuilder text = new StringBuilder("SELECT project, ");
        if (period != null) {
            text.append(period).append(" AS period, ");
        }
        if (groupBy != null) {
            text.append("toString(").append(groupBy.column()).append(") AS value, ");
        }
        text.append(table.measure()).append(" AS downloads FROM ").append(table.name());
        Sql where = where(table, projects, filter);
        text.append(where.text()).append(" GROUP BY project").append(period != null ? ", period" : "").append(groupBy != null ? ", value" : "")
                .append(" HAVING downloads != 0");
        return new Sql(text.toString(), where.bindings(), Map.of(), null);
    }

    /**
     * Per project, its {@code top} values of {@code by} with the most downloads (ties by value): the values past
     * {@code top} are left in ClickHouse, never sent (a project's total is the {@link #totals} question, asked
     * with it). Columns: project, value, downloads; ordered by project, most downloaded first, then value.
     */
    public static Sql topValues(TableSpec table, List<String> projects, DownloadFilter filter, Dimension by, int top) {
        Sql totals = groupedTotals(table, projects, filter, by);
        return new Sql(totals.text() + " ORDER BY project, downloads DESC, value LIMIT {top:Int64} BY project", totals.bindings(), Map.of(), null)
                .bind("top", (long) top);
    }

    /**
     * Per project, a series for each of its {@code top} values of {@code by} with the most downloads over the
     * whole period (ties by value), and one series summing all its other values, in one statement. The
     * buckets of a value are those of {@link #series} (a bucket whose count is zero is left out); the other
     * series has a bucket wherever one of its values has one. Columns: project, slot (1..top for the
     * values, in order; top + 1 for the others), series (the slot as text, a key with project and period),
     * value (the slot's value; empty for the others), period, downloads; ordered by project, slot, period.
     */
    public static Sql topSeries(TableSpec table, List<String> projects, DownloadFilter filter, Granularity granularity, Dimension by,
                                int top) {
        Sql points = groupedSeries(table, projects, filter, granularity, by);
        String text = "SELECT project, slot, toString(slot) AS series, leader AS value, period, bucket_downloads AS downloads FROM ("
                + "SELECT project, least(toInt64(position), {top:Int64} + 1) AS slot, if(position <= {top:Int64}, value, '') AS leader, period, "
                + "sum(downloads) AS bucket_downloads FROM (SELECT project, period, value, downloads, "
                + "dense_rank() OVER (PARTITION BY project ORDER BY value_downloads DESC, value) AS position FROM ("
                + "SELECT project, period, value, downloads, sum(downloads) OVER (PARTITION BY project, value) AS value_downloads FROM ("
                + points.text() + "))) GROUP BY project, slot, leader, period) ORDER BY project, slot, period";
        return new Sql(text, points.bindings(), Map.of(), null).bind("top", (long) top);
    }

    /**
     * Downloads per project and pair of values of two dimensions (e.g. installer × file type), by project,
     * most downloaded first. Columns: project, first, second, downloads.
     */
    public static Sql matrix(TableSpec table, List<String> projects, DownloadFilter filter, Dimension first, Dimension second) {
        Sql where = where(table, projects, filter);
        String text = "SELECT project, toString(" + first.column() + ") AS first, toString(" + second.column() + ") AS second, "
                + table.measure() + " AS downloads FROM " + table.name() + where.text()
                + " GROUP BY project, first, second HAVING downloads != 0 ORDER BY project, downloads DESC, first, second";
        return new Sql(text, where.bindings(), Map.of(), null);
    }

    /**
     * Downloads per project on the last day, the last 7 and the last 30 days up to {@code asOf}, in one
     * pass. The filter's range must be those 30 days. Columns: project, day, week, month.
     */
    public static Sql recent(TableSpec table, List<String> projects, DownloadFilter filter, java.time.LocalDate asOf) {
        String measure = table.raw() ? "countIf(" : "sumIf(count, ";
        Sql where = where(table, projects, filter);
        String text = "SELECT project, " + measure + "date = {asOf:Date}) AS day, " + measure + "date >= {weekStart:Date}) AS week, "
                + (table.raw() ? "count()" : "sum(count)") + " AS month FROM " + table.name() + where.text() + " GROUP BY project";
        return new Sql(text, where.bindings(), Map.of(), null).bind("asOf", asOf).bind("weekStart", asOf.minusDays(6));
    }

    /**
     * The most downloaded projects of all under the filter, most first (ties by name). Columns: project,
     * downloads.
     */
    public static Sql top(TableSpec table, DownloadFilter filter, int limit) {
        Sql where = where(table, null, filter);
        String text = "SELECT project, " + table.measure() + " AS downloads FROM " + table.name() + where.text()
                + " GROUP BY project HAVING downloads != 0 ORDER BY downloads DESC, project LIMIT {limit:UInt64}";
        return new Sql(text, where.bindings(), Map.of(), null).bind("limit", (long) limit);
    }

    /**
     * The downloads of every project with downloads under the filter, in one row (what a project's rank is
     * counted among: its rank is 1 + the number of these greater than its own). Column: downloads (an array).
     */
    public static Sql allProjectDownloads(TableSpec table, DownloadFilter filter) {
        Sql where = where(table, null, filter);
        String text = "SELECT groupArray(downloads) AS downloads FROM (SELECT " + table.measure() + " AS downloads FROM " + table.name()
                + where.text() + " GROUP BY project HAVING downloads != 0)";
        return new Sql(text, where.bindings(), Map.of(), null);
    }

    /** {@code WHERE ...} with its bindings; {@code projects} null means all projects. */
    static Sql where(TableSpec table, List<String> projects, DownloadFilter filter) {
        List<String> conditions = new ArrayList<>();
        Sql bound = Sql.of("");
        if (projects != null) {
            conditions.add("project IN {projects:Array(String)}");
            bound = bound.bind("projects", List.copyOf(projects));
        }
        if (filter.range() != null) {
            if (table.time() == TimeKey.DAY) {
                conditions.add("date BETWEEN {from:Date} AND {to:Date}");
                bound = bound.bind("from", filter.range().from()).bind("to", filter.range().to());
            } else {
                // The planner sends only whole-month ranges to a month table.
                conditions.add("month BETWEEN {from:Date} AND {to:Date}");
                bound = bound.bind("from", filter.range().from().withDayOfMonth(1)).bind("to", filter.range().to().withDayOfMonth(1));
            }
        }
        for (Map.Entry<Dimension, List<String>> values : filter.values().entrySet()) {
            String marker = "in_" + values.getKey().name().toLowerCase();
            conditions.add(values.getKey().column() + " IN {" + marker + ":Array(String)}");
            bound = bound.bind(marker, values.getValue());
        }
        if (!filter.versionPrefixes().isEmpty()) {
            List<String> alternatives = new ArrayList<>();
            for (int i = 0; i < filter.versionPrefixes().size(); i++) {
                String prefix = filter.versionPrefixes().get(i);
                alternatives.add("version = {vp" + i + ":String} OR startsWith(version, {vpd" + i + ":String})");
                bound = bound.bind("vp" + i, prefix).bind("vpd" + i, prefix + ".");
            }
            conditions.add("(" + String.join(" OR ", alternatives) + ")");
        }
        switch (filter.ci()) {
            case EXCLUDE -> conditions.add("ci != 'true'");
            case ONLY -> conditions.add("ci = 'true'");
            case ALL -> { }
        }
        switch (filter.mirrors()) {
            case EXCLUDE -> conditions.add("installer NOT IN {mirrors:Array(String)}");
            case ONLY -> conditions.add("installer IN {mirrors:Array(String)}");
            case ALL -> { }
        }
        if (filter.mirrors() != DownloadFilter.MirrorMode.ALL) {
            bound = bound.bind("mirrors", DownloadFilter.MIRROR_INSTALLERS);
        }
        // The unknown value comes from the Dimension enum, never from a request.
        filter.withoutUnknown().stream().sorted()
                .forEach(dimension -> conditions.add(dimension.column() + " != '" + dimension.unknownValue() + "'"));
        return new Sql(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), bound.bindings(), Map.of(), null);
    }
}
