package dev.pypianalytics.ingest.heal;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Reconcile;
import dev.pypianalytics.ingest.RepairDay;
import dev.pypianalytics.ingest.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Self-healing days: runs {@link Reconcile} over a range of days against the ledger of loaded files (the
 * same check as {@code reconcile} without a source), and for every day it finds short, missing, excess, or
 * whose per-day aggregate disagrees with pypi, either repairs it with {@link RepairDay} from the one loaded
 * file that holds it (when repairing is on) or reports it with the command to run. Each such day is
 * recorded in {@code ingest_heal_log} (read by {@code Stats.repairs}) and logged.
 *
 * <p>A day is repaired only when exactly one file in the ledger holds it: {@code repair-day} replaces a day
 * from one file, so a day spread over several files (or held by none) is reported instead. The caller makes
 * sure no load or other repair runs at the same time (see {@link HealInGateway}).
 */
public final class DayHealer {

    private static final Logger log = LoggerFactory.getLogger(DayHealer.class);

    /** What the healer did about a day. */
    public enum Action { REPAIRED, REPORTED, FAILED }

    /**
     * One day found wrong and what was done.
     *
     * @param found     the verdict: short, missing, excess, or drift (pypi complete, its per-day aggregate not)
     * @param source    the loaded file that holds the day (full location), or {@code null} when not exactly one
     * @param rowsAfter rows in pypi after a repair, {@code null} otherwise
     */
    public record Healed(LocalDate date, String found, Long expected, long recorded, Action action, String source, Long rowsAfter,
                         String detail) {
    }

    private final ClickHouse clickHouse;
    private final boolean repair;
    private final Progress progress;

    public DayHealer(ClickHouse clickHouse, boolean repair, Progress progress) {
        this.clickHouse = clickHouse;
        this.repair = repair;
        this.progress = progress;
    }

    /** Heals the {@code days} days up to the newest day any loaded file holds; nothing when nothing was loaded. */
    public List<Healed> healRecent(int days) {
        LocalDate newest = clickHouse.queryOne(Sql.of("""
                        SELECT max(date) AS newest, count() AS n FROM ingest_file_days FINAL
                        WHERE rows > 0 AND fingerprint IN (SELECT fingerprint FROM ingest_files FINAL WHERE status = 'loaded')"""),
                row -> row.getLong("n") == 0 ? LocalDate.MIN : row.getDate("newest")).block();
        if (newest == null || newest.equals(LocalDate.MIN)) {
            log.debug("Self-healing: no loaded files in the ledger, nothing to check");
            return List.of();
        }
        return heal(newest.minusDays(days - 1L), newest);
    }

    /** Checks every day of {@code from..to} against the ledger and repairs (or reports) the ones found wrong. */
    public List<Healed> heal(LocalDate from, LocalDate to) {
        List<Reconcile.Row> rows = new Reconcile(clickHouse).run(List.of(), null, from, to, progress);
        List<Healed> healed = new ArrayList<>();
        for (Reconcile.Row row : rows) {
            boolean drift = row.aggregate() != row.pypi();
            if (row.status().equals("complete") && !drift) {
                continue;
            }
            Healed outcome = heal(row, row.status().equals("complete") ? "drift" : row.status());
            record(outcome);
            healed.add(outcome);
        }
        log.info("Self-healing checked {}..{}: {} day(s) not complete, {} repaired", from, to, healed.size(),
                healed.stream().filter(day -> day.action() == Action.REPAIRED).count());
        return healed;
    }

    private Healed heal(Reconcile.Row row, String found) {
        LocalDate day = row.date();
        List<Source> holders = holders(day);
        String command = holders.size() == 1 ? "repair-day --date " + day + " " + name(holders.getFirst().location()) : null;
        if (holders.isEmpty()) {
            return report(row, found, null, "No loaded file holds " + day + "; load the day's export (ingest), "
                    + "or run repair-day --date " + day + " with a file holding it.");
        }
        if (holders.size() > 1) {
            return report(row, found, null, holders.size() + " loaded files hold " + day + " ("
                    + String.join(", ", holders.stream().map(source -> name(source.location())).toList())
                    + "); repair-day replaces a day from one file, so it is not repaired automatically.");
        }
        Source source = holders.getFirst();
        if (!repair) {
            return report(row, found, source.location(), "Not repaired (pypi.heal.repair is off); to repair run: " + command);
        }
        log.warn("Self-healing: {} is {} ({} rows in pypi, {} expected); repairing it from {}", day, found, row.pypi(),
                row.expected() == null ? "?" : row.expected(), source.location());
        try {
            RepairDay.Outcome outcome = new RepairDay(clickHouse).repair(day, List.of(source), progress);
            Healed healed = new Healed(day, found, row.expected(), row.pypi(), Action.REPAIRED, source.location(), outcome.rowsAfter(),
                    String.format(Locale.ROOT, "Repaired from %s: %,d rows before, %,d after; %d project(s) rebuilt.",
                            name(source.location()), outcome.rowsBefore(), outcome.rowsAfter(), outcome.projects()));
            log.info("Self-healing: {}", healed.detail());
            return healed;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("Self-healing: repairing {} from {} failed: {}", day, source.location(), message);
            return new Healed(day, found, row.expected(), row.pypi(), Action.FAILED, source.location(), null,
                    "Repair from " + name(source.location()) + " failed; run " + command + " by hand to see why.");
        }
    }

    private Healed report(Reconcile.Row row, String found, String source, String detail) {
        log.warn("Self-healing: {} is {} ({} rows in pypi, {} expected). {}", row.date(), found, row.pypi(),
                row.expected() == null ? "?" : row.expected(), source == null ? detail : detail + " (" + source + ")");
        return new Healed(row.date(), found, row.expected(), row.pypi(), Action.REPORTED, source, null, detail);
    }

    /**
     * The files in the ledger holding rows of the day: loaded ones, and ones whose load was interrupted while
     * publishing (their rows may be in pypi; repairing from them puts the day right).
     */
    private List<Source> holders(LocalDate day) {
        return clickHouse.query(Sql.of("""
                                SELECT source, any(format) AS format FROM ingest_files FINAL
                                WHERE status IN ('loaded', 'publishing')
                                  AND fingerprint IN (SELECT fingerprint FROM ingest_file_days FINAL WHERE date = {day:Date} AND rows > 0)
                                GROUP BY source ORDER BY source""").bind("day", day),
                row -> source(row.getString("source"), row.getString("format"))).collectList().block();
    }

    private static Source source(String location, String format) {
        boolean remote = location.startsWith("http://") || location.startsWith("https://");
        return new Source(location, remote, Source.Format.parse(format), remote ? null : Source.compressionOf(location));
    }

    /** A file's name without its folder (what the API shows: never the server's paths). */
    static String name(String location) {
        String path = location.replaceAll("[?#].*", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private void record(Healed healed) {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_heal_log (date, found, expected, recorded, action, source, rows_after, detail, healed_at)
                        VALUES ({date:Date}, {found:String}, {expected:Nullable(Int64)}, {recorded:Int64}, {action:String}, {source:String}, {after:Nullable(Int64)}, {detail:String}, now64(3))""")
                .bind("date", healed.date()).bind("found", healed.found())
                .bind("expected", healed.expected() == null ? new Sql.NullValue(Long.class) : healed.expected())
                .bind("recorded", healed.recorded()).bind("action", healed.action().name().toLowerCase(Locale.ROOT))
                .bind("source", healed.source() == null ? "" : healed.source())
                .bind("after", healed.rowsAfter() == null ? new Sql.NullValue(Long.class) : healed.rowsAfter())
                .bind("detail", healed.detail())).block();
    }
}
