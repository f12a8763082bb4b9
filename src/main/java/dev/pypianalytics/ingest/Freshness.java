package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * Per-day freshness records ({@code pypi_freshness}): how many rows a day should have, how many
 * {@code pypi} holds, and the verdict. The API reads the last complete day and the known gaps from them.
 */
public final class Freshness {

    /**
     * Verdict on one day: {@code expected} is {@code null} when no source says what it should be;
     * {@code status} is complete, short, missing or excess.
     */
    public record Day(LocalDate date, Long expected, long actual, String status) {
    }

    private final ClickHouse clickHouse;

    public Freshness(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Every day of a generated range: pypi holds exactly what was generated, so each day is complete. */
    public void recordFromPypi(LocalDate from, LocalDate to, String checkedBy) {
        clickHouse.execute(Sql.of("""
                INSERT INTO pypi_freshness (date, expected_rows, pypi_rows, status, checked_by, checked_at)
                SELECT date, count() AS n, n, 'complete', {by:String}, now64(3)
                FROM pypi WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date""")
                .bind("from", from).bind("to", to).bind("by", checkedBy)).block();
    }

    /**
     * Days touched by loaded sources: expected = the rows all loaded sources hold for the day (the
     * ledger), actual = rows in pypi.
     */
    public List<Day> recordFromLedger(Collection<LocalDate> days, String checkedBy) {
        if (days.isEmpty()) {
            return List.of();
        }
        List<Day> verdicts = clickHouse.query(Sql.of("""
                        SELECT date, expected, actual
                        FROM (
                            SELECT d.date AS date, toNullable(d.expected) AS expected, ifNull(p.actual, 0) AS actual
                            FROM (SELECT date, sum(rows) AS expected FROM ingest_file_days FINAL
                                  WHERE date IN {days:Array(Date)}
                                    AND fingerprint IN (SELECT fingerprint FROM ingest_files FINAL WHERE status = 'loaded')
                                  GROUP BY date HAVING expected > 0) AS d
                            LEFT JOIN (SELECT date, count() AS actual FROM pypi WHERE date IN {days:Array(Date)} GROUP BY date) AS p
                            ON p.date = d.date
                        )
                        ORDER BY date""").bind("days", List.copyOf(days)),
                row -> new Day(row.getDate("date"), row.getLong("expected"), row.getLong("actual"),
                        status(row.getLong("expected"), row.getLong("actual"))))
                .collectList().block();
        record(verdicts, checkedBy);
        return verdicts;
    }

    /** Stores verdicts computed elsewhere (reconcile, repair-day). */
    public void record(List<Day> verdicts, String checkedBy) {
        for (int from = 0; from < verdicts.size(); from += 1000) {
            List<Day> chunk = verdicts.subList(from, Math.min(verdicts.size(), from + 1000));
            StringBuilder values = new StringBuilder();
            Sql sql = Sql.of("");
            for (int i = 0; i < chunk.size(); i++) {
                Day day = chunk.get(i);
                values.append(i == 0 ? "" : ", ").append("({d").append(i).append(":Date}, {e").append(i).append(":Nullable(Int64)}, {a").append(i)
                        .append(":Int64}, {s").append(i).append(":String}, {by:String}, now64(3))");
                sql = sql.bind("d" + i, day.date())
                        .bind("e" + i, day.expected() == null ? new Sql.NullValue(Long.class) : day.expected())
                        .bind("a" + i, day.actual()).bind("s" + i, day.status());
            }
            clickHouse.execute(new Sql("INSERT INTO pypi_freshness (date, expected_rows, pypi_rows, status, checked_by, checked_at) VALUES "
                    + values, sql.bindings(), sql.settings(), null).bind("by", checkedBy)).block();
        }
    }

    /** The verdict on a day: {@code expected} null when no source says what the day should hold. */
    static String status(Long expected, long actual) {
        if (expected == null) {
            return actual == 0 ? "missing" : "complete";
        }
        return actual == expected ? (actual == 0 ? "missing" : "complete")
                : actual == 0 ? "missing" : actual < expected ? "short" : "excess";
    }
}
