package dev.pypianalytics.downloads;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Shape;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.statements.DownloadsSql;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.Arrays;

/**
 * What a project's rank under a filter is counted among: the downloads of every project with downloads under
 * it, read in one statement for all projects and kept (sorted, 8 bytes a project) for the data's version, so a
 * package page's rank costs a lookup instead of a pass over every project. Kept with the reference data
 * ({@code pypi.api.reference-cache}); without it, each ranking reads them again.
 */
@Service
public class RankingIndex {

    /** The downloads of the projects ranked under a filter, ascending. */
    public record Ranked(long[] ascending) {

        /** How many projects have downloads under the filter. */
        public long of() {
            return ascending.length;
        }

        /** 1 + the number of projects with strictly more downloads than {@code downloads} (ties share the better rank). */
        public long rankOf(long downloads) {
            int low = 0;
            int high = ascending.length;
            // The first position holding more than downloads.
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (ascending[middle] <= downloads) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return 1 + (ascending.length - low);
        }
    }

    private record Key(DownloadFilter filter, String version) {
    }

    private final HttpClickHouse clickHouse;
    private final WarehouseCatalog catalog;
    private final DataVersion versions;
    private final ApiProperties limits;
    private final AsyncCache<Key, Ranked> entries;

    public RankingIndex(HttpClickHouse clickHouse, WarehouseCatalog catalog, DataVersion versions, ApiProperties limits, MeterRegistry meters) {
        this.clickHouse = clickHouse;
        this.catalog = catalog;
        this.versions = versions;
        this.limits = limits;
        ApiProperties.ReferenceCache reference = limits.referenceCache();
        this.entries = reference.enabled() && reference.maxBytes().toBytes() > 0
                ? Caffeine.newBuilder().maximumWeight(reference.maxBytes().toBytes())
                .weigher((Key key, Ranked ranked) -> (int) Math.min(Integer.MAX_VALUE, 64 + 8L * ranked.ascending().length))
                .recordStats().buildAsync()
                : null;
        if (entries != null) {
            CaffeineCacheMetrics.monitor(meters, entries, "rankings");
        }
    }

    /**
     * The projects ranked under the filter, for the data's current version: read once and shared by every
     * request that asks meanwhile (outside any one request, so a client going away does not stop it for the others).
     */
    public Mono<Ranked> under(DownloadFilter filter) {
        if (entries == null) {
            return read(filter);
        }
        return versions.version().flatMap(version -> Mono.fromFuture(() -> entries.get(new Key(filter, version),
                (key, executor) -> read(filter).contextWrite(RequestStatements::detached).toFuture()), true));
    }

    private Mono<Ranked> read(DownloadFilter filter) {
        return catalog.catalog().flatMap(tables -> {
            TableSpec table = tables.choose(filter.shape(null, null).ofProjects(Shape.ALL_PROJECTS));
            Sql sql = DownloadsSql.allProjectDownloads(table, filter).setting("max_rows_to_read", limits.maxRowsToRead());
            return clickHouse.queryOne(sql, row -> {
                long[] downloads = row.getLongs("downloads");
                Arrays.sort(downloads);
                return new Ranked(downloads);
            });
        });
    }
}
