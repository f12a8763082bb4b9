package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.support.ApiSettings;
import dev.pypianalytics.support.ReadsOnlyPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement cache on its own, over an in-memory port that counts what reaches it: concurrent misses
 * of one statement share one query, the cache is bounded by the memory of what it keeps, and a request
 * waiting on a query that another request's cancellation stopped runs its own.
 */
class CachingClickHouseTests {

    /** A port that answers every statement with {@code rows} rows of ~1 KB, when {@code release} says so. */
    static final class CountingPort implements ReadsOnlyPort {
        final AtomicInteger sent = new AtomicInteger();
        final Sinks.Empty<Void> release = Sinks.empty();
        final int rows;
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        CountingPort(int rows) {
            this.rows = rows;
        }

        @Override
        public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
            return Flux.defer(() -> {
                sent.incrementAndGet();
                RuntimeException failing = failure.getAndSet(null);
                if (failing != null) {
                    return release.asMono().then(Mono.<ResultRow>error(failing)).flux();
                }
                return release.asMono().thenMany(Flux.range(0, rows).map(i -> (ResultRow) new Row("x".repeat(500))));
            }).map(mapper);
        }

        @Override
        public Mono<Void> execute(Sql sql) {
            return Mono.empty();
        }
    }

    record Row(String value) implements ResultRow {
        public long getLong(String column) { return value.length(); }
        public String getString(String column) { return value; }
        public LocalDate getDate(String column) { return null; }
        public Object get(String column) { return value; }
        public long estimatedBytes() { return 64 + 2L * value.length(); }
    }

    static CachingClickHouse cache(ClickHouse port, String maxBytes) {
        ApiProperties.Cache settings = ApiSettings.with(Map.of("cache.max-bytes", maxBytes)).cache();
        return new CachingClickHouse(port, Mono.just("v1"), settings, new SimpleMeterRegistry());
    }

    @Test
    void concurrentMissesOfOneStatementShareOneQuery() {
        CountingPort port = new CountingPort(3);
        CachingClickHouse cache = cache(port, "1MB");
        Sql sql = Sql.of("SELECT 1");
        List<Mono<List<String>>> askers = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> cache.query(sql, row -> row.getString("v")).collectList().cache()).toList();
        askers.forEach(Mono::subscribe);
        port.release.tryEmitEmpty();
        askers.forEach(asker -> assertThat(asker.block(Duration.ofSeconds(5))).hasSize(3));
        assertThat(port.sent).hasValue(1);
        // Asked again later: still from the cache.
        assertThat(cache.query(sql, row -> row.getString("v")).collectList().block()).hasSize(3);
        assertThat(port.sent).hasValue(1);
    }

    @Test
    void whatItKeepsIsBoundedByMemoryNotByCount() {
        CountingPort port = new CountingPort(100);
        port.release.tryEmitEmpty();
        // Each result is 100 rows of ~1 KB: a 1 MB cache keeps about ten of them, however many are asked.
        CachingClickHouse cache = cache(port, "1MB");
        for (int i = 0; i < 100; i++) {
            cache.query(Sql.of("SELECT " + i), row -> row.getString("v")).collectList().block();
        }
        int before = port.sent.get();
        for (int i = 0; i < 100; i++) {
            cache.query(Sql.of("SELECT " + i), row -> row.getString("v")).collectList().block();
        }
        int again = port.sent.get() - before;
        // Most had to be asked again; those kept fit in 1 MB (~100 KB each).
        assertThat(again).isGreaterThanOrEqualTo(85).isLessThan(100);
    }

    @Test
    void aRequestWaitingOnAnotherRequestsCancelledQueryRunsItsOwn() {
        CountingPort port = new CountingPort(2);
        port.failure.set(new ClickHouseException(ClickHouseException.Kind.CANCELLED, "cancelled", 0, null));
        CachingClickHouse cache = cache(port, "1MB");
        Sql sql = Sql.of("SELECT 2");
        RequestStatements first = RequestStatements.forRequest("first", ids -> { });
        RequestStatements second = RequestStatements.forRequest("second", ids -> { });
        Mono<List<String>> cancelled = cache.query(sql, row -> row.getString("v")).collectList().contextWrite(first.context()).cache();
        Mono<List<String>> waiting = cache.query(sql, row -> row.getString("v")).collectList().contextWrite(second.context()).cache();
        cancelled.subscribe(rows -> { }, error -> { });
        waiting.subscribe(rows -> { }, error -> { });
        first.cancel();
        port.release.tryEmitEmpty();
        assertThat(waiting.block(Duration.ofSeconds(5))).hasSize(2);
        assertThat(port.sent).hasValue(2);
    }
}
