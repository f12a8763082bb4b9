package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.planner.DateRange;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The version of the data and the days it spans, re-read at most every {@code pypi.api.cache.version-check}:
 * the ledger's last change, the last freshness check, the rows in {@code pypi} and in the GitHub events. A load
 * (of downloads or GH Archive), a repair or a reconcile changes it, so caches keyed by it never serve an answer computed from older data for longer
 * than the check interval. The last value read is also kept for callers that cannot wait for a query (the
 * request budget costs series by the data's real span).
 */
@Service
public class DataVersion {

    /**
     * @param version  changes whenever what queries answer may change
     * @param firstDay the first day with downloads, {@code null} when there are none
     * @param lastDay  the last day with downloads, {@code null} when there are none
     */
    public record Snapshot(String version, LocalDate firstDay, LocalDate lastDay) {

        /** The days with data, or {@code null} when there are none. */
        public DateRange span() {
            return firstDay == null || lastDay == null || firstDay.isAfter(lastDay) ? null : new DateRange(firstDay, lastDay);
        }
    }

    private final Mono<Snapshot> snapshot;
    private volatile Snapshot lastRead;

    /**
     * On an attached warehouse (someone else's: no ledger of ours, and its user may not read {@code system.parts}):
     * the raw table's size from {@code system.tables} and the days from the per-project first/last download
     * table, a row per project.
     */
    private static final String ATTACHED = """
            SELECT concat(ifNull(toString((SELECT total_rows FROM system.tables
                                           WHERE database = currentDatabase() AND name = 'pypi')), ''), '|',
                          toString(count()), '|', toString(max(max_date)), '|', %s) AS version,
                   count() AS rows, min(min_date) AS first_day, max(max_date) AS last_day
            FROM pypi_downloads_max_min""";

    /** The GitHub events' size (Project.repository answers from them; '' when there are none to read). */
    private static final String GITHUB_EVENTS =
            "ifNull(toString((SELECT total_rows FROM system.tables WHERE database = {github:String} AND name = 'github_events')), '')";

    /** Reads straight from ClickHouse as the API's user (not through the result cache it keys). */
    public DataVersion(HttpClickHouse clickHouse, ApiProperties properties, WarehouseProperties warehouse, GithubProperties github) {
        Duration check = properties.cache().versionCheck();
        // From the parts' own metadata (rows, each part's first and last day), not from table rows: a few
        // hundred parts to read whatever the size of the warehouse, every version check.
        Sql attached = Sql.of(ATTACHED.formatted(GITHUB_EVENTS)).bind("github", github.database());
        Mono<Snapshot> read = clickHouse.queryOne(warehouse.attached() ? attached : Sql.of("""
                        WITH (SELECT (sum(rows), min(min_date), max(max_date)) FROM system.parts
                              WHERE database = currentDatabase() AND table = 'pypi' AND active AND rows > 0) AS parts
                        SELECT concat((SELECT toString(max(updated_at)) FROM ingest_files), '|',
                                      (SELECT toString(max(checked_at)) FROM pypi_freshness), '|',
                                      toString(parts.1), '|', %s) AS version,
                               parts.1 AS rows, parts.2 AS first_day, parts.3 AS last_day""".formatted(GITHUB_EVENTS))
                        .bind("github", github.database()),
                        row -> row.getLong("rows") == 0 ? new Snapshot(row.getString("version"), null, null)
                                : new Snapshot(row.getString("version"), row.getDate("first_day"), row.getDate("last_day")))
                .doOnNext(found -> lastRead = found)
                .contextWrite(RequestStatements::detached);
        // A failed read is not kept: the next caller asks again.
        this.snapshot = check.isZero() ? read : read.cache(found -> check, failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** The current snapshot (re-read at most every version check). */
    public Mono<Snapshot> current() {
        return snapshot;
    }

    /** The current version. */
    public Mono<String> version() {
        return snapshot.map(Snapshot::version);
    }

    /** The last day with downloads (empty when there are none). */
    public Mono<LocalDate> lastDay() {
        return snapshot.mapNotNull(Snapshot::lastDay);
    }

    /** The snapshot read last, without waiting; empty before the first read. */
    public Optional<Snapshot> lastRead() {
        return Optional.ofNullable(lastRead);
    }
}
