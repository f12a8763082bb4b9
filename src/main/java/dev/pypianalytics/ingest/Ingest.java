package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.ClickHouseHttp;
import dev.pypianalytics.clickhouse.Sql;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Loads BigQuery download exports into the warehouse: each source is read into a working table and
 * checked ({@link Stage}), compared with the ledger ({@code ingest_files}) by a fingerprint of its rows,
 * and only then published with one {@code INSERT INTO pypi_raw SELECT} (the transform view writes
 * {@code pypi}, whose views write the aggregates). The same rows loaded again, under any name or
 * format, are recognised and skipped.
 */
public final class Ingest {

    /** What happened to one source. */
    public record Outcome(Source source, boolean loaded, long rows, LocalDate firstDay, LocalDate lastDay, String message) {
    }

    private record LedgerEntry(String fingerprint, String source, String status, long rows, LocalDate firstDay, LocalDate lastDay) {
    }

    private final ClickHouse clickHouse;
    private final ClickHouseHttp http;

    public Ingest(ClickHouse clickHouse, ClickHouseHttp http) {
        this.clickHouse = clickHouse;
        this.http = http;
    }

    /** Loads one source, or recognises it as already loaded. Throws {@link IngestException} with nothing counted. */
    public Outcome load(Source source, Progress progress) {
        long started = System.nanoTime();
        try (Stage stage = Stage.read(clickHouse, http, source, null, progress)) {
            Stage.Contents contents = stage.contents();
            LedgerEntry same = ledgerEntry("fingerprint = :value", contents.fingerprint());
            if (same != null && same.status().equals("loaded")) {
                return new Outcome(source, false, contents.rows(), contents.firstDay(), contents.lastDay(),
                        "already loaded (" + same.rows() + " rows from " + same.source() + "); nothing added");
            }
            if (same != null) {
                throw interrupted(same);
            }
            LedgerEntry sameName = ledgerEntry("source = :value", source.label());
            if (sameName != null) {
                throw new IngestException(source.label() + " was loaded before with different content (" + sameName.rows()
                        + " rows then, " + contents.rows() + " now). Loading it again would count its days twice; "
                        + "to replace days use: repair-day --date <day> " + source.label());
            }
            publish(stage, source, "ingest", progress);
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
    void publish(Stage stage, Source source, String by, Progress progress) {
        Stage.Contents contents = stage.contents();
        writeDays(contents);
        ledger(contents, source, "publishing", by);
        ClickHouseHttp.Statement insert = ClickHouseHttp.Statement
                .of("INSERT INTO pypi_raw (" + ExportShape.RAW_COLUMNS + ") SELECT " + ExportShape.RAW_COLUMNS + " FROM " + stage.table())
                .setting("parallel_view_processing", 1)
                .setting("max_execution_time", 0);
        try {
            QueryProgress.run(clickHouse, http, insert, "write " + stage.name(), progress, contents.rows(), status -> -1);
        } catch (ClickHouseException e) {
            throw new IngestException("Writing " + source.label() + " into pypi failed midway: " + Stage.firstLine(e.getMessage())
                    + " Days " + contents.firstDay() + ".." + contents.lastDay() + " may be partly counted; "
                    + "run repair-day for each of them with this file.", e);
        }
        ledger(contents, source, "loaded", by);
    }

    private IngestException interrupted(LedgerEntry entry) {
        return new IngestException("An earlier load of these rows (" + entry.source() + ") was interrupted while writing into "
                + "pypi: days " + entry.firstDay() + ".." + entry.lastDay() + " may be partly counted. "
                + "Run repair-day --date <day> " + entry.source() + " for each of those days instead.");
    }

    private void writeDays(Stage.Contents contents) {
        Sql sql = Sql.of("INSERT INTO ingest_file_days (fingerprint, date, rows) "
                        + "SELECT :fingerprint, day, rows FROM format(TSV, 'day Date, rows Int64', :rows)")
                .bind("fingerprint", contents.fingerprint());
        StringBuilder tsv = new StringBuilder();
        for (Map.Entry<LocalDate, Long> day : contents.rowsPerDay().entrySet()) {
            tsv.append(day.getKey()).append('\t').append(day.getValue()).append('\n');
        }
        clickHouse.execute(sql.bind("rows", tsv.toString())).block();
    }

    private void ledger(Stage.Contents contents, Source source, String status, String by) {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_files (fingerprint, source, format, rows, first_day, last_day, status, loaded_by, updated_at)
                        VALUES (:fingerprint, :source, :format, :rows, :first, :last, :status, :by, now64(3))""")
                .bind("fingerprint", contents.fingerprint()).bind("source", source.label())
                .bind("format", source.format().name().toLowerCase()).bind("rows", contents.rows())
                .bind("first", contents.firstDay()).bind("last", contents.lastDay()).bind("status", status).bind("by", by)).block();
    }

    private LedgerEntry ledgerEntry(String condition, String value) {
        return clickHouse.query(Sql.of("SELECT fingerprint, source, toString(status) AS status, rows, first_day, last_day "
                                + "FROM ingest_files FINAL WHERE " + condition + " ORDER BY updated_at DESC LIMIT 1")
                        .bind("value", value),
                row -> new LedgerEntry(row.getString("fingerprint"), row.getString("source"), row.getString("status"),
                        row.getLong("rows"), row.getDate("first_day"), row.getDate("last_day"))).next().block();
    }
}
