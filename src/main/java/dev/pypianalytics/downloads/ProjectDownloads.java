package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a project exists: an in-memory index of the names in the per-project aggregate
 * {@code pypi_downloads}, read once per version of the data (the result cache's), so that resolving
 * {@code project(name:)} costs no query before its fields' queries can start. (PyPI has about 600,000
 * projects: tens of megabytes.) Download figures come from {@link Downloads}.
 */
@Service
public class ProjectDownloads {

    private final HttpClickHouse clickHouse;
    private final DataVersion versions;
    private String indexedVersion;
    private Mono<Set<String>> index = Mono.empty();

    /** Reads the names directly (uncached: the index is the cache) as the API's read-only user. */
    public ProjectDownloads(HttpClickHouse clickHouse, DataVersion versions) {
        this.clickHouse = clickHouse;
        this.versions = versions;
    }

    /** Whether the warehouse has any download of this (normalized) project. */
    public Mono<Boolean> exists(String project) {
        return names().map(names -> names.contains(project));
    }

    private Mono<Set<String>> names() {
        return versions.version().flatMap(version -> {
            Mono<Set<String>> current;
            synchronized (this) {
                if (!version.equals(indexedVersion)) {
                    indexedVersion = version;
                    // Loaded once for this version; a failed load is not kept (the next request tries again).
                    index = clickHouse.query(Sql.of("SELECT project FROM pypi_downloads GROUP BY project HAVING sum(count) != 0"),
                                    row -> row.getString("project"))
                            .collect(HashSet<String>::new, Set::add)
                            .<Set<String>>map(Set::copyOf)
                            .contextWrite(RequestStatements::detached)
                            .cache(loaded -> Duration.ofDays(3650), failed -> Duration.ZERO, () -> Duration.ZERO);
                }
                current = index;
            }
            return current;
        });
    }
}
