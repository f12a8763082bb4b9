package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.QueryStatistics;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API's port ({@link ApiReads}) with a result cache: every API query's rows, keyed by the statement
 * (text, bindings, settings) and the version of the data: the ledger's last change, the last freshness
 * check and the rows in pypi. A load, a repair or a reconcile changes the version, so no answer outlives
 * the data it was computed from by more than the version check interval. Least recently used answers go
 * first. Queries whose ClickHouse statistics are wanted (query plans) bypass it.
 */
public class ResultCache implements ClickHouse {

    /** Makes the cached port the API's. */
    @Configuration(proxyBeanMethods = false)
    static class Wiring {
        @Bean
        @ApiReads
        ResultCache apiClickHouse(HttpClickHouse http, ApiProperties properties, MeterRegistry meters) {
            return new ResultCache(http, properties, meters);
        }
    }

    private record Entry(String version, List<ResultRow> rows) {
    }

    /** The data's version and its last day with downloads ({@code null} when there are none). */
    private record Snapshot(String version, LocalDate lastDay) {
    }

    private final ClickHouse clickHouse;
    private final boolean enabled;
    private final int maxEntries;
    private final Mono<Snapshot> snapshot;
    private final Mono<String> version;
    private final Map<Sql, Entry> entries;
    private final Counter hits;
    private final Counter misses;

    public ResultCache(ClickHouse clickHouse, ApiProperties properties, MeterRegistry meters) {
        ApiProperties.Cache settings = properties.cache();
        this.clickHouse = clickHouse;
        this.enabled = settings.enabled();
        this.maxEntries = settings.maxEntries();
        this.entries = new LinkedHashMap<>(256, 0.75f, true);
        Mono<Snapshot> read = clickHouse.queryOne(Sql.of("""
                        SELECT concat((SELECT toString(max(updated_at)) FROM ingest_files), '|',
                                      (SELECT toString(max(checked_at)) FROM pypi_freshness), '|',
                                      (SELECT toString(sum(rows)) FROM system.parts
                                       WHERE database = currentDatabase() AND table = 'pypi' AND active)) AS version,
                               (SELECT max(max_date) FROM pypi_downloads_max_min) AS last_day,
                               (SELECT count() FROM pypi_downloads_max_min) AS projects"""),
                row -> new Snapshot(row.getString("version"), row.getLong("projects") == 0 ? null : row.getDate("last_day")));
        this.snapshot = settings.versionCheck().isZero() ? read
                : read.cache(found -> settings.versionCheck(), failed -> Duration.ZERO, () -> Duration.ZERO);
        this.version = snapshot.map(Snapshot::version);
        this.hits = meters.counter("pypi.cache.requests", "result", "hit");
        this.misses = meters.counter("pypi.cache.requests", "result", "miss");
    }

    /**
     * The data's version: changes whenever a load, repair or reconcile changes what queries answer
     * (re-read at most every {@code version-check}).
     */
    public Mono<String> dataVersion() {
        return version;
    }

    /**
     * The last day with downloads (empty when there are none), read with the version: what "last day,
     * week, month" count back from, known without a query of its own.
     */
    public Mono<LocalDate> lastDay() {
        return snapshot.mapNotNull(Snapshot::lastDay);
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

    private Mono<List<ResultRow>> cached(Sql sql, String current) {
        Entry entry;
        synchronized (entries) {
            entry = entries.get(sql);
        }
        if (entry != null && entry.version().equals(current)) {
            hits.increment();
            return Mono.just(entry.rows());
        }
        misses.increment();
        return clickHouse.query(sql, Function.identity()).collectList().doOnNext(rows -> {
            synchronized (entries) {
                entries.put(sql, new Entry(current, List.copyOf(rows)));
                if (entries.size() > maxEntries) {
                    entries.remove(entries.keySet().iterator().next());
                }
            }
        });
    }

    @Override
    public Mono<Void> execute(Sql sql) {
        return clickHouse.execute(sql);
    }
}
