package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares rows per day between a source and pypi and lists the missing, short and excess days, so gaps
 * are found on purpose rather than by accident. The source is files (read and checked like a load,
 * nothing written), a table (in the export shape with {@code timestamp}, or pypi's shape with
 * {@code date}), or, with neither, the ledger of loaded files. Every calendar day of the range is
 * checked, so a day with no rows at all shows up as missing. Verdicts go to {@code pypi_freshness}.
 */
public final class Reconcile {

    /** One day: expected (null when no source knows), in pypi, in the per-day aggregate, and the verdict. */
    public record Row(LocalDate date, Long expected, long pypi, long aggregate, String status) {
    }

    private final ClickHouse clickHouse;

    public Reconcile(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /**
     * @param sources files or URLs (may be empty)
     * @param table   a table to compare with, or {@code null}
     * @param from    first day to check, or {@code null} for the first day of the source (without one: of the ledger or pypi, whichever is earlier)
     * @param to      last day to check, or {@code null} for the last day of the source (without one: of the ledger or pypi, whichever is later)
     */
    public List<Row> run(List<Source> sources, String table, LocalDate from, LocalDate to, Progress progress) {
        Map<LocalDate, Long> expected = new TreeMap<>();
        boolean known;
        if (table != null) {
            expected.putAll(tableCounts(table));
            known = true;
        } else if (!sources.isEmpty()) {
            for (Source source : sources) {
                try (Stage stage = Stage.read(clickHouse, source, null, progress)) {
                    stage.contents().rowsPerDay().forEach((day, rows) -> expected.merge(day, rows, Long::sum));
                }
            }
            known = true;
        } else {
            clickHouse.query(Sql.of("""
                            SELECT date, sum(rows) AS rows FROM ingest_file_days FINAL
                            WHERE fingerprint IN (SELECT fingerprint FROM ingest_files FINAL WHERE status = 'loaded')
                            GROUP BY date HAVING rows > 0"""), row -> Map.entry(row.getDate("date"), row.getLong("rows")))
                    .toStream().forEach(entry -> expected.put(entry.getKey(), entry.getValue()));
            known = false;
        }
        Map<LocalDate, long[]> actual = new TreeMap<>();
        LocalDate first = from;
        LocalDate last = to;
        if (first == null || last == null) {
            LocalDate[] bounds = bounds(expected, known);
            first = first != null ? first : bounds[0];
            last = last != null ? last : bounds[1];
        }
        if (first == null || last == null) {
            return List.of();
        }
        if (first.isAfter(last)) {
            throw new IngestException("--from " + first + " is after --to " + last + ".");
        }
        clickHouse.query(Sql.of("""
                        SELECT date, sum(pypi) AS pypi, sum(aggregate) AS aggregate FROM (
                            SELECT date, count() AS pypi, 0 AS aggregate FROM pypi WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date
                            UNION ALL
                            SELECT date, 0, sum(count) FROM pypi_downloads_per_day WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date
                        ) GROUP BY date""").bind("from", first).bind("to", last),
                row -> Map.entry(row.getDate("date"), new long[] {row.getLong("pypi"), row.getLong("aggregate")}))
                .toStream().forEach(entry -> actual.put(entry.getKey(), entry.getValue()));
        List<Row> rows = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            long[] counts = actual.getOrDefault(day, new long[2]);
            Long want = expected.containsKey(day) ? expected.get(day) : known ? Long.valueOf(0) : null;
            rows.add(new Row(day, want, counts[0], counts[1], Freshness.status(want, counts[0])));
        }
        new Freshness(clickHouse).record(rows.stream()
                .map(row -> new Freshness.Day(row.date(), row.expected(), row.pypi(), row.status())).toList(), "reconcile");
        return rows;
    }

    /**
     * The range to check when none is given: the source's days; with no source, every day the ledger says was
     * loaded (so a first or last day that vanished from pypi is still checked) and every day pypi holds.
     */
    private LocalDate[] bounds(Map<LocalDate, Long> expected, boolean known) {
        if (known) {
            return expected.isEmpty() ? new LocalDate[2]
                    : new LocalDate[] {((TreeMap<LocalDate, Long>) expected).firstKey(), ((TreeMap<LocalDate, Long>) expected).lastKey()};
        }
        LocalDate[] ledger = clickHouse.queryOne(Sql.of("""
                        SELECT min(first_day) AS first, max(last_day) AS last, count() AS n
                        FROM ingest_files FINAL WHERE status IN ('loaded', 'publishing')"""),
                row -> row.getLong("n") == 0 ? new LocalDate[2] : new LocalDate[] {row.getDate("first"), row.getDate("last")}).block();
        LocalDate[] pypi = clickHouse.queryOne(Sql.of("SELECT min(date) AS first, max(date) AS last, count() AS n FROM pypi"),
                row -> row.getLong("n") == 0 ? new LocalDate[2] : new LocalDate[] {row.getDate("first"), row.getDate("last")}).block();
        return new LocalDate[] {earlier(ledger[0], pypi[0]), later(ledger[1], pypi[1])};
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private Map<LocalDate, Long> tableCounts(String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IngestException("--table must be a table name like db.table, got '" + table + "'.");
        }
        String[] parts = table.split("\\.");
        List<String> columns = clickHouse.query(Sql.of("""
                        SELECT name FROM system.columns
                        WHERE database = if({db:String} = '', currentDatabase(), {db:String}) AND table = {table:String}""")
                        .bind("db", parts.length == 2 ? parts[0] : "").bind("table", parts[parts.length - 1]),
                row -> row.getString("name")).collectList().block();
        String day;
        if (columns == null || columns.isEmpty()) {
            throw new IngestException("No table " + table + " (or it has no columns).");
        } else if (columns.contains("date")) {
            day = "date";
        } else if (columns.contains("timestamp")) {
            day = "toDate(timestamp)";
        } else {
            throw new IngestException("Table " + table + " has neither a 'date' nor a 'timestamp' column to count days by.");
        }
        Map<LocalDate, Long> counts = new TreeMap<>();
        // The name was checked against an identifier pattern and exists in system.columns.
        clickHouse.query(Sql.of("SELECT " + day + " AS day, count() AS rows FROM " + table + " GROUP BY day"),
                row -> Map.entry(row.getDate("day"), row.getLong("rows"))).toStream()
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }
}
