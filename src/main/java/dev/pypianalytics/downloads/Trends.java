package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The landing page's lists across all projects, counted back from the data's last day: top, emerging
 * (first download recently), needing a refresh (popular, no upload for months), hot (largest growth
 * from one complete month to the next) and recent releases.
 */
@Service
public class Trends {

    /** A project and its downloads in the period of the list. */
    public record Ranked(String project, long downloads) {
    }

    /** Growth between two complete months. */
    public record Hot(String project, LocalDate month, long previous, long current) {
    }

    /** An upload. */
    public record Release(String project, String version, LocalDate day) {
    }

    private final ClickHouse clickHouse;
    private final Downloads downloads;
    private final WarehouseCatalog catalog;

    public Trends(@ApiReads ClickHouse clickHouse, Downloads downloads, WarehouseCatalog catalog) {
        this.catalog = catalog;
        this.clickHouse = clickHouse;
        this.downloads = downloads;
    }

    /** The most downloaded projects in the {@code days} days up to {@code asOf}, planned like every download question. */
    public Mono<List<Ranked>> top(LocalDate asOf, int days, DownloadFilter.CiMode ci, int limit) {
        DownloadFilter filter = new DownloadFilter(new DateRange(asOf.minusDays(days - 1L), asOf), Map.of(), List.of(), ci);
        return downloads.top(filter, limit).map(totals -> totals.stream().map(total -> new Ranked(total.project(), total.downloads())).toList());
    }

    /** Projects first downloaded within {@code months} months before {@code asOf}, by their downloads since. */
    public Mono<List<Ranked>> emerging(LocalDate asOf, int months, int limit) {
        return ranked(Sql.of("""
                SELECT project, sum(count) AS downloads FROM pypi_downloads
                WHERE project IN (SELECT project FROM pypi_downloads_max_min GROUP BY project HAVING min(min_date) > {since:Date})
                GROUP BY project HAVING downloads != 0 ORDER BY downloads DESC, project LIMIT {limit:UInt64}""")
                .bind("since", asOf.minusMonths(months)).bind("limit", (long) limit));
    }

    /** The most downloaded projects of the last 30 days whose last upload is more than {@code months} months old. */
    public Mono<List<Ranked>> needingRefresh(LocalDate asOf, int months, int limit) {
        return ranked(Sql.of("""
                SELECT project, sum(count) AS downloads FROM pypi_downloads_per_day
                WHERE date BETWEEN {from:Date} AND {to:Date}
                  AND dictHas('last_updated_dict', project)
                  AND toDate(dictGet('last_updated_dict', 'last_update', project)) < {before:Date}
                GROUP BY project HAVING downloads != 0 ORDER BY downloads DESC, project LIMIT {limit:UInt64}""")
                .bind("from", asOf.minusDays(29)).bind("to", asOf).bind("before", asOf.minusMonths(months)).bind("limit", (long) limit));
    }

    /**
     * The largest relative growth from the month before to the last complete month (the month of
     * {@code asOf} when it is that month's last day), among projects with at least {@code minimum}
     * downloads in the month before.
     */
    public Mono<List<Hot>> hot(LocalDate asOf, long minimum, int limit) {
        LocalDate current = lastCompleteMonth(asOf);
        return clickHouse.query(Sql.of("""
                        SELECT project, sumIf(count, month = {previous:Date}) AS before, sumIf(count, month = {current:Date}) AS after
                        FROM pypi_downloads_per_month WHERE month IN ({previous:Date}, {current:Date})
                        GROUP BY project HAVING before >= {minimum:Int64}
                        ORDER BY after / before DESC, project LIMIT {limit:UInt64}""")
                        .bind("previous", current.minusMonths(1)).bind("current", current)
                        .bind("minimum", Math.max(1, minimum)).bind("limit", (long) limit),
                row -> new Hot(row.getString("project"), current, row.getLong("before"), row.getLong("after"))).collectList();
    }

    /** The first month that ended on or before {@code asOf}. */
    public static LocalDate lastCompleteMonth(LocalDate asOf) {
        return asOf.getDayOfMonth() == asOf.lengthOfMonth() ? asOf.withDayOfMonth(1) : asOf.withDayOfMonth(1).minusMonths(1);
    }

    /** The latest uploads (first upload of each version), newest first. */
    public Mono<List<Release>> recentReleases(int limit) {
        return catalog.latestRowsOf("projects").flatMap(from -> clickHouse.query(Sql.of("""
                        SELECT name, version, toDate(min(upload_time)) AS day, min(upload_time) AS first_upload
                        FROM %s GROUP BY name, version
                        ORDER BY first_upload DESC, name, version LIMIT {limit:UInt64}""".formatted(from)).bind("limit", (long) limit),
                row -> new Release(row.getString("name"), row.getString("version"), row.getDate("day"))).collectList());
    }

    private Mono<List<Ranked>> ranked(Sql sql) {
        return clickHouse.query(sql, row -> new Ranked(row.getString("project"), row.getLong("downloads"))).collectList();
    }
}
