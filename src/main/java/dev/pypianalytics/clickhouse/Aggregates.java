package dev.pypianalytics.clickhouse;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The aggregate tables of the warehouse, read from the database itself: every materialized view that
 * selects from {@code pypi} and writes {@code TO} a table. Adding an aggregate in {@code sql/} makes it
 * known here (to backfill, repair and verification) with no code change.
 */
public final class Aggregates {

    /** {@code CREATE MATERIALIZED VIEW db.name TO db.target (...)}: the target, with or without backquotes. */
    private static final Pattern TARGET = Pattern.compile("\\bTO\\s+`?([^`.\\s]+)`?\\.`?([^`\\s(]+)`?");

    /**
     * One aggregate.
     *
     * @param table    the target table
     * @param view     the materialized view feeding it
     * @param select   the view's SELECT (over all of pypi when run on its own)
     * @param columns  the table's columns in order, name → type
     */
    public record Aggregate(String table, String view, String select, Map<String, String> columns) {

        /** Keyed by day: a day can be deleted from it and re-inserted (repair-day). */
        public boolean daily() {
            return columns.containsKey("date");
        }

        /** Columns holding measures rather than keys. */
        public List<String> measures() {
            return columns.keySet().stream().filter(Aggregates::isMeasure).toList();
        }

        /** Columns the table groups by. */
        public List<String> keys() {
            return columns.keySet().stream().filter(column -> !isMeasure(column)).toList();
        }
    }

    private final ClickHouse clickHouse;

    public Aggregates(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    static boolean isMeasure(String column) {
        return column.equals("count") || column.equals("max_date") || column.equals("min_date");
    }

    /** All aggregates fed from pypi, by table name. */
    public List<Aggregate> all() {
        List<Map<String, String>> views = clickHouse.query(Sql.of("""
                        SELECT name, as_select, create_table_query
                        FROM system.tables
                        WHERE database = currentDatabase() AND engine = 'MaterializedView'
                        ORDER BY name"""),
                row -> Map.of("name", row.getString("name"), "select", row.getString("as_select"),
                        "create", row.getString("create_table_query"))).collectList().block();
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        clickHouse.query(Sql.of("""
                        SELECT table, name, type FROM system.columns
                        WHERE database = currentDatabase() ORDER BY table, position"""),
                row -> new String[] {row.getString("table"), row.getString("name"), row.getString("type")})
                .toStream()
                .forEach(c -> columns.computeIfAbsent(c[0], t -> new LinkedHashMap<>()).put(c[1], c[2]));
        List<Aggregate> aggregates = new ArrayList<>();
        for (Map<String, String> view : views == null ? List.<Map<String, String>>of() : views) {
            Matcher target = TARGET.matcher(view.get("create"));
            if (!target.find() || !readsFromPypi(view.get("select"))) {
                continue;
            }
            String table = target.group(2);
            aggregates.add(new Aggregate(table, view.get("name"), view.get("select"), columns.getOrDefault(table, Map.of())));
        }
        return aggregates;
    }

    /**
     * Fills aggregates that are empty while pypi is not (an aggregate added by a new {@code sql/} file
     * after data was loaded), by running its view's SELECT over all of pypi. A failed fill is undone.
     */
    public List<String> backfillEmpty(java.time.Duration timeout) {
        if (count("pypi") == 0) {
            return List.of();
        }
        List<String> filled = new ArrayList<>();
        for (Aggregate aggregate : all()) {
            if (count(aggregate.table()) > 0) {
                continue;
            }
            try {
                clickHouse.execute(Sql.of(insertFromPypi(aggregate, "")).withTimeout(timeout)).block();
            } catch (RuntimeException e) {
                clickHouse.execute(Sql.of("TRUNCATE TABLE " + aggregate.table())).block();
                throw e;
            }
            filled.add(aggregate.table());
        }
        return filled;
    }

    /**
     * {@code INSERT INTO <aggregate> SELECT ... FROM (<its view's SELECT over pypi>) <filter>}: the view's
     * own definition recomputed, optionally restricted by a filter on the aggregate's columns (ClickHouse
     * pushes it down into the scan of pypi). The filter text comes from our code, never from users.
     */
    public static String insertFromPypi(Aggregate aggregate, String filter) {
        String columns = String.join(", ", aggregate.columns().keySet());
        return "INSERT INTO " + aggregate.table() + " (" + columns + ") SELECT " + columns
                + " FROM (" + aggregate.select() + ")" + (filter.isBlank() ? "" : " WHERE " + filter);
    }

    private long count(String table) {
        Long rows = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM " + table), row -> row.getLong("n")).block();
        return rows == null ? 0 : rows;
    }

    private static boolean readsFromPypi(String select) {
        return Pattern.compile("\\bFROM\\s+(`?[^`.\\s]+`?\\.)?`?pypi`?(\\s|$)").matcher(select).find();
    }
}
