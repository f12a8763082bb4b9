package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.config.WarehouseProperties;
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
 *
 * <p>On an attached warehouse the index is not read: its user may return only so many rows per statement
 * (ClickPy's public one: 1,000), so each name is looked up on its own (one granule of the table sorted by
 * project) and the answer kept for that version of the data.
 */
@Service
public class ProjectNames {

    private final HttpClickHouse clickHouse;
    private final DataVersion versions;
    private final boolean lookUpEach;
    private final AsyncCache<String, Boolean> looked = Caffeine.newBuilder().maximumSize(100_000).buildAsync();
    private String indexedVersion;
    private Mono<Set<String>> index = Mono.empty();

    /** Reads the names directly (uncached: the index is the cache) as the API's read-only user. */
    public ProjectNames(HttpClickHouse clickHouse, DataVersion versions, WarehouseProperties warehouse) {
        this.clickHouse = clickHouse;
        this.versions = versions;
        this.lookUpEach = warehouse.attached();
    }

    /** Whether the warehouse has any download of this (normalized) project. */
    public Mono<Boolean> exists(String project) {
        if (lookUpEach) {
            return versions.version().flatMap(version -> Mono.fromFuture(looked.get(version + "\n" + project, (key, executor) ->
                    clickHouse.query(Sql.of("SELECT project FROM pypi_downloads WHERE project = {project:String} GROUP BY project "
                                            + "HAVING sum(count) != 0").bind("project", project), row -> true)
                            .hasElements().contextWrite(RequestStatements::detached).toFuture())));
        }
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
