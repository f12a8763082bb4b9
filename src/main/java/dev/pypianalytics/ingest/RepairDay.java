package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.Aggregates;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Replaces one day of downloads with what a source holds for it, as ClickPy repairs a day: the source's
 * rows for that day are read and checked first (a bad source changes nothing); then the day is deleted
 * from pypi and from every aggregate keyed by day, the new rows are written through pypi_raw (so the
 * views fill the day again), and the aggregates not keyed by day are rebuilt from pypi for the projects
 * the day touches. Afterwards every aggregate equals a recomputation from pypi. Count aggregates lose
 * rows by cancellation (negated counts) rather than by mutation, so until merges they may hold rows
 * whose counts sum to zero: readers sum counts and drop zero sums.
 *
 * <p>While it runs, readers can briefly see the day missing or the affected projects' all-time figures
 * off; do not run two repairs or a repair and a load at the same time.
 */
public final class RepairDay {

    /** What the repair did. */
    public record Outcome(LocalDate day, long rowsBefore, long rowsAfter, int projects, List<String> rebuilt) {
    }

    private static final Duration LONG = Duration.ofHours(6);

    private final ClickHouse clickHouse;

    public RepairDay(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    public Outcome repair(LocalDate day, List<Source> sources, Progress progress) {
        if (sources.size() != 1) {
            throw new IngestException("repair-day takes exactly one source (the file or URL holding the day), got " + sources.size() + ".");
        }
        Source source = sources.getFirst();
        try (Stage stage = Stage.read(clickHouse, source, day, progress)) {
            return replace(stage, source, List.of(day), "repair-day", progress);
        }
    }

    /**
     * Replaces {@code days} in pypi and every aggregate with the staged rows (which hold only those days): the
     * days are deleted from pypi and the daily aggregates, the stage is published (ledger included), and the
     * aggregates not keyed by day are rebuilt for the projects touched. Also how an interrupted publish is
     * resumed ({@link Ingest}): whatever part of the file reached pypi goes, and the whole file is written once.
     *
     * @return the outcome, its counts summed over the days
     */
    Outcome replace(Stage stage, Source source, java.util.Collection<LocalDate> days, String by, Progress progress) {
        List<LocalDate> dayList = List.copyOf(new java.util.TreeSet<>(days));
        Sql onDays = Sql.of("date IN {days:Array(Date)}").bind("days", dayList);
        String affected = "repair_projects_" + HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits());
        long before = count(Sql.of("SELECT count() AS n FROM pypi WHERE date IN {days:Array(Date)}").bind("days", dayList));
        List<Aggregates.Aggregate> aggregates = new Aggregates(clickHouse).all();
        String label = dayList.size() == 1 ? dayList.getFirst().toString() : dayList.getFirst() + ".." + dayList.getLast();
        try {
            execute(Sql.of("CREATE TABLE " + affected + " ENGINE = MergeTree ORDER BY project AS "
                    + "SELECT DISTINCT project FROM pypi WHERE date IN {days:Array(Date)} "
                    + "UNION DISTINCT SELECT DISTINCT assumeNotNull(project) AS project FROM " + stage.table()).bind("days", dayList));
            progress.step("Removing " + label + " from pypi and " + aggregates.stream().filter(Aggregates.Aggregate::daily).count()
                    + " daily aggregates (" + before + " rows in pypi)");
            execute(Sql.of("DELETE FROM pypi WHERE date IN {days:Array(Date)}").bind("days", dayList));
            for (Aggregates.Aggregate aggregate : aggregates) {
                if (aggregate.daily()) {
                    cancel(aggregate, onDays);
                }
            }
            // The days' rows in the ledger no longer describe pypi: the stage's own rows replace them.
            execute(Sql.of("INSERT INTO ingest_file_days (fingerprint, date, rows) "
                    + "SELECT fingerprint, date, 0 FROM ingest_file_days FINAL WHERE date IN {days:Array(Date)}").bind("days", dayList));
            new Ingest(clickHouse).publish(stage, source, by, "", progress);
            List<String> rebuilt = aggregates.stream().filter(aggregate -> !aggregate.daily()).map(Aggregates.Aggregate::table).toList();
            progress.step("Rebuilding " + String.join(", ", rebuilt) + " for the projects of " + label);
            String touched = "project IN (SELECT project FROM " + affected + ")";
            for (Aggregates.Aggregate aggregate : aggregates) {
                if (!aggregate.daily()) {
                    cancel(aggregate, Sql.of(touched));
                    execute(Sql.of(Aggregates.insertFromPypi(aggregate, touched)));
                }
            }
            long after = 0;
            List<Freshness.Day> verdicts = new java.util.ArrayList<>();
            for (LocalDate day : dayList) {
                long now = count(Sql.of("SELECT count() AS n FROM pypi WHERE date = {day:Date}").bind("day", day));
                long expected = stage.contents().rowsPerDay().getOrDefault(day, 0L);
                verdicts.add(new Freshness.Day(day, expected, now, Freshness.status(expected, now)));
                after += now;
            }
            new Freshness(clickHouse).record(verdicts, by);
            int projects = (int) count(Sql.of("SELECT count() AS n FROM " + affected));
            progress.step(String.format(Locale.ROOT, "Repaired %s: %,d rows before, %,d after, %d projects touched",
                    label, before, after, projects));
            return new Outcome(dayList.getFirst(), before, after, projects, rebuilt);
        } finally {
            execute(Sql.of("DROP TABLE IF EXISTS " + affected));
        }
    }

    private static boolean summing(Aggregates.Aggregate aggregate) {
        return aggregate.measures().equals(List.of("count"));
    }

    /**
     * Takes rows out of an aggregate. A count aggregate gets their negation inserted, so every
     * {@code sum(count)} is exact at once and SummingMergeTree drops the zero rows when it merges (a
     * lightweight DELETE waits for the mutation scheduler: about five seconds per table here). Others
     * (first/last download) need a real DELETE.
     */
    private void cancel(Aggregates.Aggregate aggregate, Sql where) {
        String sql;
        if (summing(aggregate)) {
            String keys = String.join(", ", aggregate.keys());
            sql = "INSERT INTO " + aggregate.table() + " (" + keys + ", count) SELECT " + keys + ", -sum(count) FROM "
                    + aggregate.table() + " WHERE " + where.text() + " GROUP BY " + keys + " HAVING sum(count) != 0";
        } else {
            sql = "DELETE FROM " + aggregate.table() + " WHERE " + where.text();
        }
        execute(new Sql(sql, where.bindings(), where.settings(), where.timeout()));
    }

    private void execute(Sql sql) {
        clickHouse.execute(sql.withTimeout(LONG)).block();
    }

    private long count(Sql sql) {
        Long n = clickHouse.queryOne(sql, row -> row.getLong("n")).block();
        return n == null ? 0 : n;
    }
}
