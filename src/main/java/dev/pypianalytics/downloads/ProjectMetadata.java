package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.planner.Pep440Version;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What PyPI's metadata says about a project (from its latest final release by PEP 440 ordering) and the
 * first and last days it was downloaded.
 */
@Service
public class ProjectMetadata {

    /** A project's metadata; any field may be null when unknown. */
    public record Metadata(String summary, String latestVersion, String license, String homePage, String author,
                           String requiresPython, LocalDate firstDownload, LocalDate lastDownload, LocalDate lastUpload) {
    }

    private record Release(String version, String summary, String license, String homePage, String author, String requiresPython,
                           LocalDate uploaded) {
    }

    private final ClickHouse clickHouse;

    public ProjectMetadata(@ApiReads ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    public Mono<Metadata> of(String project) {
        Mono<List<Release>> releases = clickHouse.query(Sql.of("""
                        SELECT version, summary, license, home_page, author, requires_python, toDate(upload_time) AS uploaded
                        FROM projects FINAL WHERE name = :name""").bind("name", project),
                row -> new Release(row.getString("version"), row.getString("summary"), row.getString("license"),
                        row.getString("home_page"), row.getString("author"), row.getString("requires_python"),
                        row.getDate("uploaded"))).collectList();
        Mono<LocalDate[]> days = clickHouse.queryOne(Sql.of("""
                        SELECT min(min_date) AS first, max(max_date) AS last, count() AS n
                        FROM pypi_downloads_max_min WHERE project = :name""").bind("name", project),
                row -> row.getLong("n") == 0 ? new LocalDate[2] : new LocalDate[] {row.getDate("first"), row.getDate("last")});
        return Mono.zip(releases, days).map(both -> {
            List<Release> all = both.getT1();
            String latest = Pep440Version.latest(all.stream().map(Release::version).distinct().toList());
            Optional<Release> release = all.stream().filter(r -> r.version().equals(latest)).findFirst();
            LocalDate lastUpload = all.stream().map(Release::uploaded).max(Comparator.naturalOrder()).orElse(null);
            return new Metadata(release.map(Release::summary).map(ProjectMetadata::blankToNull).orElse(null), latest,
                    release.map(Release::license).map(ProjectMetadata::blankToNull).orElse(null),
                    release.map(Release::homePage).map(ProjectMetadata::blankToNull).orElse(null),
                    release.map(Release::author).map(ProjectMetadata::blankToNull).orElse(null),
                    release.map(Release::requiresPython).map(ProjectMetadata::blankToNull).orElse(null),
                    both.getT2()[0], both.getT2()[1], lastUpload);
        });
    }

    /** Version → time of its first upload (UTC). */
    public Mono<Map<String, OffsetDateTime>> uploadTimes(String project) {
        return clickHouse.query(Sql.of("SELECT version, formatDateTime(min(upload_time), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS uploaded "
                                + "FROM projects FINAL WHERE name = :name GROUP BY version").bind("name", project),
                        row -> Map.entry(row.getString("version"), OffsetDateTime.parse(row.getString("uploaded"))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
