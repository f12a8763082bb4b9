package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.support.ReadsOnlyPort;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The days of unfinished publishes are read through the administrative port for every stats question that
 * needs them, but one reading serves a burst of calls: a crowd asking for stats costs one statement per
 * {@code pypi.api.cache.version-check}, not one per request.
 */
class WarehouseStatsTests {

    /** A port that answers nothing and counts the statements it was sent. */
    static final class CountingPort implements ReadsOnlyPort {
        final AtomicInteger queries = new AtomicInteger();

        @Override
        public <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper) {
            return Flux.defer(() -> {
                queries.incrementAndGet();
                return Flux.empty();
            });
        }

        @Override
        public Mono<Void> execute(Sql sql) {
            return Mono.error(new AssertionError("stats never writes"));
        }
    }

    static final Duration VERSION_CHECK = Duration.ofSeconds(5);

    @Test
    void oneReadingOfTheSuspectDaysServesABurstAndIsReadAgainAfterwards() {
        CountingPort api = new CountingPort();
        CountingPort admin = new CountingPort();
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        WarehouseStats stats = new WarehouseStats(api, admin,
                new WarehouseProperties(WarehouseProperties.Mode.OWNED, 16, Duration.ofSeconds(60), List.of()), VERSION_CHECK, clock);

        for (int i = 0; i < 20; i++) {
            stats.lastCompleteDay().block();
            stats.gaps().block();
        }
        assertThat(admin.queries).hasValue(1);
        assertThat(api.queries).hasValue(40);

        clock.advanceTimeBy(VERSION_CHECK.minusMillis(1));
        stats.gaps().block();
        assertThat(admin.queries).hasValue(1);
        clock.advanceTimeBy(Duration.ofMillis(2));
        stats.lastCompleteDay().block();
        assertThat(admin.queries).hasValue(2);
    }
}
