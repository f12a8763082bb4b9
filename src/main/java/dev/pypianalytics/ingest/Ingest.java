package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.IngestProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads BigQuery download exports into the warehouse: each source is read into a working table and
 * checked ({@link Stage}), compared with the ledger ({@code ingest_files}) by a fingerprint of its rows,
 * and only then published with one {@code INSERT INTO pypi_raw SELECT} (the transform view writes
 * {@code pypi}, whose views write the aggregates). The same rows loaded again, under any name or
 * format, are recognised and skipped; an unchanged local file loaded before is recognised from its
 * metadata (size, modification time, file key) without reading it. A file holding days that other
 * loaded files already hold ({@code ingest_file_days}) is handled by the overlap rule
 * ({@code pypi.ingest.overlap}): refused (default), its days replaced through {@link RepairDay}, or added.
 */
public final class Ingest {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Ingest.class);

    /** What happened to one source. */
    public record Outcome(Source source, boolean loaded, long rows, LocalDate firstDay, LocalDate lastDay, String message) {
    }

    private record LedgerEntry(String fingerprint, String source, String status, long rows, LocalDate firstDay, LocalDate lastDay) {
    }

    /** A day of the file that loaded files already hold: their rows for it and their names. */
    private record Covered(LocalDate day, long rows, String sources) {
    }

    /**
     * Lets several loads run at once (the follower's {@code pypi.follow.parallelism}): a load reads and checks its source
     * into its working table on its own, then calls {@link #await} with the days it holds and consults the ledger and
     * publishes only once that returns; the caller says when the load is over. A turn that returns only after every
     * earlier load sharing one of those days is over keeps the ledger's checks (same rows, same name, overlapping days)
     * exactly as they are one file at a time.
     */
    public interface Turn {

        /** No waiting: one load at a time. */
        Turn NONE = days -> { };

        /** Returns when the load holding {@code days} may consult the ledger and publish; throws to give the load up. */
        void await(java.util.Set<LocalDate> days);
    }

    private final ClickHouse clickHouse;
    private final IngestProperties.Overlap overlap;

    /** A loader that refuses overlapping files (the default rule). */
    public Ingest(ClickHouse clickHouse) {
        this(clickHouse, IngestProperties.Overlap.REFUSE);
    }

    public Ingest(ClickHouse clickHouse, IngestProperties.Overlap overlap) {
        this.clickHouse = clickHouse;
        this.overlap = overlap;
    }

    /**
     * Stops the long statement (reading a file, writing into pypi) that {@code loader} runs through this loader now,
     * by its query id ({@code KILL QUERY}); nothing when it runs none. The load then fails on that thread; a publish
     * stopped midway is resumed by the next load of the same file. Sends the kill without waiting for the engine's
     * answer (it may take a while while it cancels); never fails.
     */
    public void cancel(Thread loader) {
        QueryProgress.runningOn(loader).ifPresent(queryId -> {
            log.info("Cancelling the running load statement {}", queryId);
            new dev.pypianalytics.clickhouse.QueryKiller(clickHouse).kill(List.of(queryId)).subscribe();
        });
    }

    /** Loads one source, or recognises it as already loaded. Throws {@link IngestException} with nothing counted. */
    public Outcome load(Source source, Progress progress) {
        return load(source, progress, Turn.NONE);
    }

    /**
     * Loads one source as {@link #load(Source, Progress)}, waiting for {@code turn} between reading it and consulting the
     * ledger (several loads at once).
     */
    public Outcome load(Source source, Progress progress, Turn turn) {
        long started = System.nanoTime();
        String signature = signature(source);
        if (!signature.isEmpty()) {
            LedgerEntry seen = ledgerEntry("source = {value:String} AND signature = {signature:String} AND status = 'loaded'", source.label(),
                    signature);
            if (seen != null) {
                return new Outcome(source, false, seen.rows(), seen.firstDay(), seen.lastDay(), "already loaded (" + seen.rows()
                        + " rows from " + seen.source() + "; recognised by its size and modification time, not read); nothing added");
            }
        }
        try (Stage stage = Stage.read(clickHouse, source, null, progress)) {
            Stage.Contents contents = stage.contents();
            // A file that changed while it was read is not described by what it looked like before.
            String loadedAs = signature.equals(signature(source)) ? signature : "";
            turn.await(java.util.Collections.unmodifiableSet(contents.rowsPerDay().keySet()));
            LedgerEntry same = ledgerEntry("fingerprint = {value:String}", contents.fingerprint());
            if (same != null && same.status().equals("loaded")) {
                return new Outcome(source, false, contents.rows(), contents.firstDay(), contents.lastDay(),
                        "already loaded (" + same.rows() + " rows from " + same.source() + "); nothing added");
            }
            if (same != null) {
                if (resumable(same, source, contents)) {
                    return resume(stage, source, contents, started, progress);
                }
                throw interrupted(same);
            }
            LedgerEntry sameName = ledgerEntry("source = {value:String}", source.label());
            if (sameName != null) {
                throw new IngestException(source.label() + " was loaded before with different content (" + sameName.rows()
                        + " rows then, " + contents.rows() + " now). Loading it again would count its days twice; "
                        + "to replace days use: repair-day --date <day> " + source.label());
            }
            List<Covered> covered = covered(source.label(), contents.rowsPerDay().keySet());
            if (!covered.isEmpty() && overlap == IngestProperties.Overlap.REFUSE) {
                throw overlapping(source, contents, covered);
            }
            if (!covered.isEmpty() && overlap == IngestProperties.Overlap.REPLACE) {
                return replaceDays(source, contents, covered, started, progress);
            }
            publish(stage, source, "ingest", loadedAs, progress);
            List<Freshness.Day> verdicts = new Freshness(clickHouse).recordFromLedger(contents.rowsPerDay().keySet(), "ingest");
            long incomplete = verdicts.stream().filter(day -> !day.status().equals("complete")).count();
            return new Outcome(source, true, contents.rows(), contents.firstDay(), contents.lastDay(),
                    String.format(java.util.Locale.ROOT, "loaded %,d rows for %s..%s in %d ms%s", contents.rows(),
                            contents.firstDay(), contents.lastDay(), (System.nanoTime() - started) / 1_000_000,
                            incomplete == 0 ? "" : "; " + incomplete + " day(s) hold other rows than the loaded files say (see reconcile)"));
        }
    }

    /**
     * Writes a staged source into pypi_raw, recording it in the ledger as 'publishing' first and
     * 'loaded' after, so an interruption in between is visible and names the days to repair.
     */
    void publish(Stage stage, Source source, String by, String signature, Progress progress) {
        Stage.Contents contents = stage.contents();
        writeDays(contents);
        ledger(contents, source, "publishing", by, signature, stage.table());
        Sql insert = Sql.of("INSERT INTO pypi_raw (" + ExportShape.RAW_COLUMNS + ") SELECT " + ExportShape.RAW_COLUMNS
                        + " FROM " + stage.table())
                .setting("parallel_view_processing", 1)
                .setting("max_execution_time", 0);
        try {
            QueryProgress.run(clickHouse, insert, null, "write " + stage.name(), progress, contents.rows(), status -> -1);
        } catch (ClickHouseException e) {
            String message = "Writing " + source.label() + " into pypi failed midway: " + Stage.firstLine(e.getMessage())
                    + " Days " + contents.firstDay() + ".." + contents.lastDay() + " may be partly counted; ";
            if (e.kind() == ClickHouseException.Kind.UNAVAILABLE || e.kind() == ClickHouseException.Kind.TIMEOUT
                    || e.kind() == ClickHouseException.Kind.CANCELLED) {
                // The engine went away (or the statement was stopped): a transient failure. Loading the same file
                // again resumes it (see resume), so a follower retries it instead of quarantining it.
                throw new ClickHouseException(e.kind(), message + "loading the same file again puts them right.", e.serverErrorCode(), e);
            }
            throw new IngestException(message + "run repair-day for each of them with this file.", e);
        }
        ledger(contents, source, "loaded", by, signature, stage.table());
    }

    /** The rule REPLACE: every day of the file replaced with the file's rows for it, one repair-day each. */
    private Outcome replaceDays(Source source, Stage.Contents contents, List<Covered> covered, long started, Progress progress) {
        progress.step(source.label() + " holds " + covered.size() + " day(s) already loaded from other files ("
                + covered.stream().map(day -> day.day().toString()).toList() + "); pypi.ingest.overlap=REPLACE: replacing "
                + "each of its days with its rows through repair-day");
        RepairDay repair = new RepairDay(clickHouse);
        long before = 0;
        for (LocalDate day : contents.rowsPerDay().keySet()) {
            before += repair.repair(day, List.of(source), progress).rowsBefore();
        }
        return new Outcome(source, true, contents.rows(), contents.firstDay(), contents.lastDay(),
                String.format(Locale.ROOT, "replaced %d day(s) %s..%s (%,d rows before, %,d now) through repair-day in %d ms, "
                                + "as pypi.ingest.overlap=REPLACE says for days already loaded from other files", contents.rowsPerDay().size(),
                        contents.firstDay(), contents.lastDay(), before, contents.rows(), (System.nanoTime() - started) / 1_000_000));
    }

    /** The file's days that loaded (or half-loaded) files already hold rows for. */
    /**
     * The days of {@code days} that files of another export already hold. Shards of one export (BigQuery writes a
     * day as {@code name-000000000000.parquet}, {@code name-000000000001.parquet}, ...) hold a day together: one shard
     * does not overlap another of its export.
     */
    private List<Covered> covered(String label, java.util.Collection<LocalDate> days) {
        String export = exportOf(label);
        record Held(LocalDate day, String source, long rows) {
        }
        List<Held> held = clickHouse.query(Sql.of("""
                        SELECT d.date AS date, f.source AS source, sum(d.rows) AS rows
                        FROM (SELECT fingerprint, date, rows FROM ingest_file_days FINAL WHERE date IN {days:Array(Date)} AND rows > 0) AS d
                        INNER JOIN (SELECT fingerprint, source FROM ingest_files FINAL WHERE status IN ('loaded', 'publishing')) AS f
                        ON f.fingerprint = d.fingerprint
                        GROUP BY d.date, f.source ORDER BY d.date, f.source""").bind("days", List.copyOf(days)),
                row -> new Held(row.getDate("date"), row.getString("source"), row.getLong("rows"))).collectList().block();
        java.util.Map<LocalDate, List<Held>> byDay = new java.util.TreeMap<>();
        held.stream().filter(other -> !exportOf(other.source()).equals(export))
                .forEach(other -> byDay.computeIfAbsent(other.day(), day -> new ArrayList<>()).add(other));
        return byDay.entrySet().stream().map(day -> new Covered(day.getKey(), day.getValue().stream().mapToLong(Held::rows).sum(),
                String.join(", ", day.getValue().stream().map(Held::source).sorted().toList()))).toList();
    }

    /** The export a file belongs to: its name without a trailing shard number of six or more digits. */
    static String exportOf(String label) {
        return label.replaceFirst("[-_]\\d{6,}((\\.[A-Za-z0-9]+)*)$", "$1");
    }

    private static OverlappingDaysException overlapping(Source source, Stage.Contents contents, List<Covered> covered) {
        StringBuilder message = new StringBuilder(source.label()).append(" holds ").append(covered.size()).append(" day(s) that other loaded files already hold: ");
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i < covered.size(); i++) {
            Covered day = covered.get(i);
            days.add(day.day());
            message.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s (%,d rows in this file, %,d loaded from %s)",
                    day.day(), contents.rowsPerDay().get(day.day()), day.rows(), day.sources()));
        }
        message.append(". Loading it would count those days twice, so nothing was loaded. If this file is the better copy of ")
                .append(covered.size() == 1 ? "that day" : "those days").append(", replace ")
                .append(covered.size() == 1 ? "it" : "each").append(" with: ");
        for (int i = 0; i < covered.size(); i++) {
            message.append(i == 0 ? "" : "; ").append("repair-day --date ").append(covered.get(i).day()).append(' ').append(source.label());
        }
        message.append(" (or set pypi.ingest.overlap=REPLACE to have that done by itself; pypi.ingest.overlap=ADD if your exports "
                + "split one day over several files).");
        return new OverlappingDaysException(message.toString(), days);
    }

    /**
     * What a local file looks like without reading it: size, modification time and file key (inode), or
     * empty for a URL or when unknown. Any change to the file changes its modification time.
     */
    static String signature(Source source) {
        if (source.remote()) {
            return "";
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(Path.of(source.location()), BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return "";
            }
            Object key = attributes.fileKey();
            return "size=" + attributes.size() + ";modified=" + attributes.lastModifiedTime().toMillis() + (key == null ? "" : ";key=" + key);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Whether an interrupted publish of these rows can be resumed by this load: it was a load of this very source
     * (not a repair, not a copy under another name), nothing writes from its working table now, and no other file
     * holds rows of its days, so those days in pypi hold nothing but what the interrupted publish wrote.
     */
    private boolean resumable(LedgerEntry entry, Source source, Stage.Contents contents) {
        if (!entry.source().equals(source.label()) || !entry.status().equals("publishing")) {
            return false;
        }
        Long busy = clickHouse.queryOne(Sql.of("""
                        SELECT count() AS n FROM system.processes
                        WHERE has(extractAll(query, 'ingest_stage_[0-9a-f]+'),
                                  (SELECT any(stage) FROM ingest_files FINAL WHERE fingerprint = {fingerprint:String}))""")
                .bind("fingerprint", entry.fingerprint()), row -> row.getLong("n")).block();
        if (busy != null && busy > 0) {
            return false;
        }
        Long others = clickHouse.queryOne(Sql.of("""
                        SELECT count() AS n FROM ingest_file_days FINAL
                        WHERE date IN {days:Array(Date)} AND rows > 0 AND fingerprint != {fingerprint:String}
                          AND fingerprint IN (SELECT fingerprint FROM ingest_files FINAL WHERE status IN ('loaded', 'publishing'))""")
                .bind("days", List.copyOf(contents.rowsPerDay().keySet())).bind("fingerprint", entry.fingerprint()),
                row -> row.getLong("n")).block();
        return others == null || others == 0;
    }

    /**
     * Resumes a publish of this source that was interrupted (engine killed, gateway stopped mid-write): its days
     * are replaced with the staged rows through {@link RepairDay}, so whatever part reached pypi is counted once.
     */
    private Outcome resume(Stage stage, Source source, Stage.Contents contents, long started, Progress progress) {
        log.warn("Resuming the interrupted load of {}: its days {}..{} are replaced with its {} rows", source.label(),
                contents.firstDay(), contents.lastDay(), contents.rows());
        progress.step("An earlier load of " + source.label() + " was interrupted while writing into pypi; resuming it: days "
                + contents.firstDay() + ".." + contents.lastDay() + " are replaced with its rows");
        RepairDay.Outcome outcome = new RepairDay(clickHouse).replace(stage, source, contents.rowsPerDay().keySet(), "ingest", progress);
        return new Outcome(source, true, contents.rows(), contents.firstDay(), contents.lastDay(),
                String.format(Locale.ROOT, "resumed an interrupted load: %,d rows for %s..%s (%,d were in pypi before) in %d ms",
                        contents.rows(), contents.firstDay(), contents.lastDay(), outcome.rowsBefore(),
                        (System.nanoTime() - started) / 1_000_000));
    }

    private IngestException interrupted(LedgerEntry entry) {
        return new IngestException("An earlier load of these rows (" + entry.source() + ") was interrupted while writing into "
                + "pypi: days " + entry.firstDay() + ".." + entry.lastDay() + " may be partly counted. "
                + "Run repair-day --date <day> " + entry.source() + " for each of those days instead.");
    }

    private void writeDays(Stage.Contents contents) {
        Sql sql = Sql.of("INSERT INTO ingest_file_days (fingerprint, date, rows) "
                        + "SELECT {fingerprint:String}, day, rows FROM format(TSV, 'day Date, rows Int64', {rows:String})")
                .bind("fingerprint", contents.fingerprint());
        StringBuilder tsv = new StringBuilder();
        for (Map.Entry<LocalDate, Long> day : contents.rowsPerDay().entrySet()) {
            tsv.append(day.getKey()).append('\t').append(day.getValue()).append('\n');
        }
        clickHouse.execute(sql.bind("rows", tsv.toString())).block();
    }

    private void ledger(Stage.Contents contents, Source source, String status, String by, String signature, String stage) {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_files (fingerprint, source, format, rows, first_day, last_day, status, loaded_by, updated_at,
                                                  signature, stage)
                        VALUES ({fingerprint:String}, {source:String}, {format:String}, {rows:Int64}, {first:Date}, {last:Date}, {status:String}, {by:String}, now64(3), {signature:String}, {stage:String})""")
                .bind("signature", signature).bind("stage", stage)
                .bind("fingerprint", contents.fingerprint()).bind("source", source.label())
                .bind("format", source.format().name().toLowerCase()).bind("rows", contents.rows())
                .bind("first", contents.firstDay()).bind("last", contents.lastDay()).bind("status", status).bind("by", by)).block();
    }

    private LedgerEntry ledgerEntry(String condition, String value) {
        return ledgerEntry(condition, value, null);
    }

    private LedgerEntry ledgerEntry(String condition, String value, String signature) {
        Sql sql = Sql.of("SELECT fingerprint, source, toString(status) AS status, rows, first_day, last_day "
                + "FROM ingest_files FINAL WHERE " + condition + " ORDER BY updated_at DESC LIMIT 1").bind("value", value);
        return clickHouse.query(signature == null ? sql : sql.bind("signature", signature),
                row -> new LedgerEntry(row.getString("fingerprint"), row.getString("source"), row.getString("status"),
                        row.getLong("rows"), row.getDate("first_day"), row.getDate("last_day"))).next().block();
    }
}
