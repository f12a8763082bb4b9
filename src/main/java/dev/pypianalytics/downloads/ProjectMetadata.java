package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.Pep440Version;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What PyPI's metadata says about a project (from its latest final release by PEP 440 ordering) and the
 * first and last days it was downloaded. The metadata has no yanked flag: a yanked release counts as any other.
 */
@Service
public class ProjectMetadata {

    /**
     * A project's metadata; any field may be null when unknown.
     *
     * @param latestUploadedVersion the version of the project's newest uploaded file, whatever it is (a
     *                              pre-release, or a fix to an older line uploaded after a newer release);
     *                              uploads in the same microsecond go to the greater version by PEP 440
     */
    public record Metadata(String summary, String latestVersion, String license, String homePage, String author,
                           String requiresPython, LocalDate firstDownload, LocalDate lastDownload, LocalDate lastUpload,
                           String latestUploadedVersion) {
    }

    /**
     * @param firstUpload      the time of the version's first file (UTC)
     * @param lastUploadMicros the time of the version's newest file, microseconds since the epoch (UTC)
     */
    private record Release(String version, String summary, String license, String homePage, String author, String requiresPython,
                           LocalDate uploaded, OffsetDateTime firstUpload, long lastUploadMicros) {
    }

    private final ClickHouse clickHouse;
    private final WholeResults wholeResults;

    /** A version of a project: unique per row of the release statement (read in pages when the warehouse needs it). */
    private static final List<WholeResults.KeyColumn> NAME_VERSION = List.of(WholeResults.KeyColumn.text("name"),
            WholeResults.KeyColumn.text("version"));

    private final WarehouseCatalog catalog;

    /**
     * Reads through the reference data's port: what it answers changes only with the data, whatever a page's
     * filters, so it is kept for the data's version (see {@link ReferenceReads}).
     */
    public ProjectMetadata(@ReferenceReads ClickHouse clickHouse, WholeResults wholeResults, WarehouseCatalog catalog) {
        this.clickHouse = clickHouse;
        this.wholeResults = wholeResults.over(clickHouse);
        this.catalog = catalog;
    }

    /**
     * Per project, a row per version (a release has a row per uploaded file: thousands for the largest projects):
     * one statement, the same text for {@link #of} and {@link #uploadTimes}, so a request asking both sends it once.
     */
    private Mono<Map<String, List<Release>>> releases(List<String> projects) {
        return catalog.latestRowsOf("projects").flatMap(from -> wholeResults.read(Sql.of("""
                        SELECT name, version, any(summary) AS summary, any(license) AS license, any(home_page) AS home_page,
                               any(author) AS author, any(requires_python) AS requires_python, max(toDate(upload_time)) AS uploaded,
                               formatDateTime(min(upload_time), '%%Y-%%m-%%dT%%H:%%i:%%SZ', 'UTC') AS first_upload,
                               toUnixTimestamp64Micro(toDateTime64(max(upload_time), 6, 'UTC')) AS last_upload
                        FROM %s WHERE name IN {names:Array(String)} GROUP BY name, version""".formatted(from)).bind("names", projects), NAME_VERSION,
                row -> Map.entry(row.getString("name"), new Release(row.getString("version"), row.getString("summary"),
                        row.getString("license"), row.getString("home_page"), row.getString("author"), row.getString("requires_python"),
                        row.getDate("uploaded"), OffsetDateTime.parse(row.getString("first_upload")), row.getLong("last_upload")))))
                .map(rows -> rows.stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toUnmodifiableList()))));
    }

    /** The metadata of each project (every project asked has an entry; unknown fields are null): two queries for all of them. */
    public Mono<Map<String, Metadata>> of(List<String> projects) {
        Mono<Map<String, LocalDate[]>> days = clickHouse.query(Sql.of("""
                        SELECT project, min(min_date) AS first, max(max_date) AS last
                        FROM pypi_downloads_max_min WHERE project IN {names:Array(String)} GROUP BY project""").bind("names", projects),
                row -> Map.entry(row.getString("project"), new LocalDate[] {row.getDate("first"), row.getDate("last")}))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(releases(projects), days).map(both -> {
            Map<String, Metadata> metadata = new HashMap<>();
            for (String project : projects) {
                LocalDate[] firstAndLast = both.getT2().getOrDefault(project, new LocalDate[2]);
                metadata.put(project, metadata(both.getT1().getOrDefault(project, List.of()), firstAndLast[0], firstAndLast[1]));
            }
            return metadata;
        });
    }

    private static Metadata metadata(List<Release> all, LocalDate firstDownload, LocalDate lastDownload) {
        String latest = Pep440Version.latest(all.stream().map(Release::version).distinct().toList());
        Optional<Release> release = all.stream().filter(r -> r.version().equals(latest)).findFirst();
        LocalDate lastUpload = all.stream().map(Release::uploaded).max(Comparator.naturalOrder()).orElse(null);
        String latestUploaded = all.stream().max(Comparator.comparingLong(Release::lastUploadMicros)
                        .thenComparing(r -> Pep440Version.parse(r.version()))).map(Release::version).orElse(null);
        return new Metadata(release.map(Release::summary).map(ProjectMetadata::blankToNull).orElse(null), latest,
                release.map(Release::license).map(ProjectMetadata::blankToNull).orElse(null),
                release.map(Release::homePage).map(ProjectMetadata::blankToNull).orElse(null),
                release.map(Release::author).map(ProjectMetadata::blankToNull).orElse(null),
                release.map(Release::requiresPython).map(ProjectMetadata::blankToNull).orElse(null),
                firstDownload, lastDownload, lastUpload, latestUploaded);
    }

    /** Per project: version → time of its first upload (UTC). The statement of {@link #of}'s releases. */
    public Mono<Map<String, Map<String, OffsetDateTime>>> uploadTimes(List<String> projects) {
        return releases(projects).map(releases -> {
            Map<String, Map<String, OffsetDateTime>> byProject = new HashMap<>();
            releases.forEach((project, versions) -> versions.forEach(release ->
                    byProject.computeIfAbsent(project, name -> new HashMap<>()).put(release.version(), release.firstUpload())));
            return byProject;
        });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
