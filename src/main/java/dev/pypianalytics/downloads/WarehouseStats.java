package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.config.WarehouseProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/** Whole-warehouse figures from the small tables: per-project totals, first/last days, freshness records. */
@Service
public class WarehouseStats {

    /** Totals and date range. */
    public record Totals(long downloads, long projects, LocalDate firstDay, LocalDate lastDay) {
    }

    /** A day that is not complete. */
    public record Gap(LocalDate date, String status, Long expected, long recorded) {
    }

    /** What self-healing found wrong about a day and did about it (ingest_heal_log; the file by name only). */
    public record Repair(LocalDate date, String found, Long expected, long recorded, String action, String source, Long rowsAfter,
                         String outcome, java.time.OffsetDateTime at) {
    }

    static final int MAX_GAPS = 100;
    static final int MAX_REPAIRS = 100;

    /**
     * Days touched by a publish that did not finish: a file whose ledger row still says 'publishing' while no
     * running statement writes from its working table (the INSERT names it in system.processes), i.e. a load
     * killed or failed while writing into pypi. The engine may have written all, part or none of its rows, so
     * whatever the freshness records say, such a day is SUSPECT until repair-day (or a finished load) settles it.
     * Rows written before the ledger knew the working table (stage '') are suspect at once. Read through the
     * administrative port (the API's user may not see system.processes) and not cached by data version: it
     * changes when a load dies, which changes no data version. One reading serves the calls of one
     * {@code pypi.api.cache.version-check} (a burst of stats requests costs one statement, and a load that dies
     * is seen at most that much later, as a finished one is).
     */
    static final String SUSPECT_DAYS = """
            SELECT DISTINCT date FROM ingest_file_days FINAL
            WHERE rows > 0 AND fingerprint IN (
                SELECT fingerprint FROM ingest_files FINAL
                WHERE status = 'publishing'
                  AND (stage = '' OR stage NOT IN (SELECT arrayJoin(extractAll(query, 'ingest_stage_[0-9a-f]+')) FROM system.processes)))""";


    private final ClickHouse clickHouse;
    private final ClickHouse admin;
    private final boolean ledger;
    private final Mono<List<LocalDate>> suspectDays;

    /** On an attached warehouse there are no freshness records of ours: completeness and gaps are unknown (empty). */
    @Autowired
    public WarehouseStats(@ApiReads ClickHouse clickHouse, ClickHouse admin, WarehouseProperties warehouse, ApiProperties api) {
        this(clickHouse, admin, warehouse, api.cache().versionCheck(), Schedulers.parallel());
    }

    WarehouseStats(ClickHouse clickHouse, ClickHouse admin, WarehouseProperties warehouse, Duration readEvery, Scheduler clock) {
        this.clickHouse = clickHouse;
        this.admin = admin;
        this.ledger = !warehouse.attached();
        // A failed reading is not kept: the next call asks again.
        this.suspectDays = readSuspectDays().cache(days -> readEvery, failure -> Duration.ZERO, () -> readEvery, clock);
    }

    /** The days touched by an unfinished publish ({@link #SUSPECT_DAYS}), bound as {@code {suspect:Array(Date)}}. */
    private Mono<List<LocalDate>> suspectDays() {
        return suspectDays;
    }

    private Mono<List<LocalDate>> readSuspectDays() {
        return admin.query(Sql.of(SUSPECT_DAYS), row -> row.getDate("date")).collectList();
    }

    /** Whether days are checked for completeness here (our own warehouse's freshness records). */
    public boolean checksFreshness() {
        return ledger;
    }

    public Mono<Totals> totals() {
        return clickHouse.queryOne(Sql.of("""
                        SELECT
                            (SELECT sum(count) FROM pypi_downloads) AS downloads,
                            (SELECT count() FROM (SELECT project FROM pypi_downloads GROUP BY project HAVING sum(count) != 0)) AS projects,
                            (SELECT count() FROM pypi_downloads_max_min) AS known,
                            (SELECT min(min_date) FROM pypi_downloads_max_min) AS first_day,
                            (SELECT max(max_date) FROM pypi_downloads_max_min) AS last_day"""),
                row -> new Totals(row.getLong("downloads"), row.getLong("projects"),
                        row.getLong("known") == 0 ? null : row.getDate("first_day"),
                        row.getLong("known") == 0 ? null : row.getDate("last_day")));
    }

    public Mono<LocalDate> lastCompleteDay() {
        if (!ledger) {
            return Mono.empty();
        }
        return suspectDays().flatMap(suspect -> clickHouse.query(Sql.of("SELECT date FROM pypi_freshness FINAL "
                        + "WHERE status = 'complete' AND date NOT IN {suspect:Array(Date)} ORDER BY date DESC LIMIT 1").bind("suspect", suspect),
                row -> row.getDate("date")).next());
    }

    public Mono<List<Gap>> gaps() {
        if (!ledger) {
            return Mono.just(List.of());
        }
        // Recorded verdicts, except that a day touched by an unfinished publish is SUSPECT, with the rows the
        // ledger's files (finished or not) hold for it and the rows the per-day aggregate counts now.
        return suspectDays().flatMap(suspect -> clickHouse.query(Sql.of("""
                        SELECT date, verdict, expected_rows, pypi_rows FROM (
                            SELECT date, upper(toString(status)) AS verdict, expected_rows, pypi_rows
                            FROM pypi_freshness FINAL WHERE status != 'complete' AND date NOT IN {suspect:Array(Date)}
                            UNION ALL
                            SELECT e.date AS date, 'SUSPECT' AS verdict, toNullable(e.expected) AS expected_rows,
                                   ifNull(r.recorded, 0) AS pypi_rows
                            FROM (SELECT date, sum(rows) AS expected FROM ingest_file_days FINAL
                                  WHERE date IN {suspect:Array(Date)} AND rows > 0
                                    AND fingerprint IN (SELECT fingerprint FROM ingest_files FINAL WHERE status IN ('loaded', 'publishing'))
                                  GROUP BY date) AS e
                            LEFT JOIN (SELECT date, sum(count) AS recorded FROM pypi_downloads_per_day WHERE date IN {suspect:Array(Date)} GROUP BY date) AS r
                            ON r.date = e.date
                        ) ORDER BY date DESC LIMIT {limit:UInt64}""")
                        .bind("suspect", suspect).bind("limit", (long) MAX_GAPS),
                row -> new Gap(row.getDate("date"), row.getString("verdict"),
                        row.get("expected_rows") == null ? null : row.getLong("expected_rows"), row.getLong("pypi_rows"))).collectList());
    }

    /** The most recent days self-healing found wrong, newest check first (at most {@value #MAX_REPAIRS}). */
    public Mono<List<Repair>> repairs() {
        if (!ledger) {
            return Mono.just(List.of());
        }
        // The API shows a file's name, never the server's path to it.
        return clickHouse.query(Sql.of("""
                        SELECT date, upper(found) AS found, expected, recorded, upper(toString(action)) AS action,
                               nullIf(replaceRegexpOne(replaceRegexpOne(source, '[?#].*$', ''), '^.*/', ''), '') AS file,
                               rows_after, detail, formatDateTime(healed_at, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS at
                        FROM ingest_heal_log ORDER BY healed_at DESC, date DESC LIMIT {limit:UInt64}""")
                        .bind("limit", (long) MAX_REPAIRS),
                row -> new Repair(row.getDate("date"), row.getString("found"),
                        row.get("expected") == null ? null : row.getLong("expected"), row.getLong("recorded"), row.getString("action"),
                        row.get("file") == null ? null : row.getString("file"),
                        row.get("rows_after") == null ? null : row.getLong("rows_after"), row.getString("detail"),
                        java.time.OffsetDateTime.parse(row.getString("at")))).collectList();
    }
}
