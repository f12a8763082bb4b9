package dev.pypianalytics.downloads;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.Body;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.QueryStatistics;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A {@link ClickHouse} port that keeps the rows of the statements it runs (the result cache), keyed by the
 * statement (text, bindings, settings) and the {@link DataVersion}, so no answer outlives the data it was
 * computed from by more than the version check interval. Bounded by the memory the rows take (Caffeine, a
 * weigher by result size); concurrent misses of one statement share one query. Queries whose ClickHouse
 * statistics are wanted (query plans) bypass it. The API's port ({@link ApiReads}) is one of these over the
 * read-only user's port ({@link ApiReadsConfiguration}).
 */
public class CachingClickHouse implements ClickHouse {

    private record Key(Sql sql, String version) {
    }

    /** What an entry holds besides its rows: the key's text and the list. */
    private static final int ENTRY_OVERHEAD = 256;

    private final ClickHouse clickHouse;
    private final Mono<String> version;
    private final boolean enabled;
    private final AsyncCache<Key, List<ResultRow>> entries;

    /**
     * @param clickHouse the port whose results are kept
     * @param version    the current version of the data (see {@link DataVersion})
     */
    public CachingClickHouse(ClickHouse clickHouse, Mono<String> version, ApiProperties.Cache settings, MeterRegistry meters) {
        this(clickHouse, version, settings.enabled(), settings.maxBytes(), "statements", meters);
    }

    /**
     * @param enabled  whether to keep anything (false: every statement goes to {@code clickHouse})
     * @param maxBytes memory for the rows kept
     * @param name     the cache's name in the metrics ({@code cache} tag)
     */
    public CachingClickHouse(ClickHouse clickHouse, Mono<String> version, boolean enabled, DataSize maxBytes, String name,
                             MeterRegistry meters) {
        this.clickHouse = clickHouse;
        this.version = version;
        this.enabled = enabled && maxBytes.toBytes() > 0;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, maxBytes.toBytes()))
                .weigher((Key key, List<ResultRow> rows) -> weight(key, rows))
                .recordStats()
                .buildAsync();
        CaffeineCacheMetrics.monitor(meters, entries, name);
    }

    @Override
    public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
        if (!enabled) {
            return clickHouse.query(sql, mapper);
        }
        return Mono.deferContextual(context -> QueryStatistics.wanted(context)
                        ? clickHouse.query(sql, Function.identity()).collectList()
                        : version.flatMap(current -> cached(sql, current)))
                .flatMapIterable(rows -> rows)
                .map(mapper);
    }

    /**
     * The rows from the cache, or from one query that every concurrent miss of the same statement shares.
     * The query runs in the context of the request that missed first (its query id, its cancellation); a
     * request that waited on a query cancelled with another request runs its own.
     */
    private Mono<List<ResultRow>> cached(Sql sql, String current) {
        return Mono.deferContextual(context -> {
            Key key = new Key(sql, current);
            // The shared query is not cancelled when one waiting subscriber goes away: the others still want it.
            Mono<List<ResultRow>> shared = Mono.fromFuture(() -> entries.get(key, (k, executor) ->
                    clickHouse.query(sql, Function.identity()).collectList().contextWrite(context).toFuture()), true);
            return shared.onErrorResume(error -> cancelledElsewhere(error, context),
                    error -> clickHouse.query(sql, Function.identity()).collectList());
        });
    }

    private static boolean cancelledElsewhere(Throwable error, reactor.util.context.ContextView context) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean cancelled = cause instanceof ClickHouseException failure && failure.kind() == ClickHouseException.Kind.CANCELLED;
        return cancelled && RequestStatements.of(context).map(request -> !request.isCancelled()).orElse(true);
    }

    private static int weight(Key key, List<ResultRow> rows) {
        long bytes = ENTRY_OVERHEAD + 2L * key.sql().text().length();
        for (ResultRow row : rows) {
            bytes += row.estimatedBytes();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public Mono<Void> execute(Sql sql) {
        return clickHouse.execute(sql);
    }

    @Override
    public Mono<byte[]> load(Sql sql, String queryId, Body body) {
        return clickHouse.load(sql, queryId, body);
    }

    @Override
    public byte[] loadAndWait(Sql sql, String queryId, Body body) {
        return clickHouse.loadAndWait(sql, queryId, body);
    }

    @Override
    public Mono<Void> kill(Collection<String> queryIds) {
        return clickHouse.kill(queryIds);
    }
}
