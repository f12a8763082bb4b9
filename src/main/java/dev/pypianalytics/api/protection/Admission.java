package dev.pypianalytics.api.protection;

import dev.pypianalytics.api.ApiErrorType;
import dev.pypianalytics.config.ApiProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquirePendingLimitException;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

/**
 * Admits the GraphQL requests that reach execution (those the whole-answer cache did not answer) within
 * {@code pypi.api.admission}: a few run at once, a few more wait briefly, and the rest are refused at once
 * with {@link Busy} (answered {@code 503} + {@code Retry-After} by {@link AdmissionConfiguration}) rather than
 * queueing inside the engine, where every request would get slower together. A slot is given back when its
 * request is answered, fails or is cancelled (its client left, or it timed out).
 */
final class Admission implements WebGraphQlInterceptor {

    /** Refused: every slot is taken and the queue is full, or the wait for a slot ran out. */
    static final class Busy extends RuntimeException {

        private final long retryAfterSeconds;

        Busy(long retryAfterSeconds) {
            super("The gateway is answering as many requests as it can; try again in " + retryAfterSeconds + " s.", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        ApiErrorType classification() {
            return ApiErrorType.BUSY;
        }
    }

    private final ApiProperties.Admission settings;
    private final InstrumentedPool<Boolean> slots;
    private final Counter refused;

    Admission(ApiProperties.Admission settings, MeterRegistry meters) {
        this.settings = settings;
        this.slots = settings.maxConcurrent() == 0 ? null
                : PoolBuilder.from(Mono.just(Boolean.TRUE)).sizeBetween(0, settings.maxConcurrent())
                        .maxPendingAcquire(settings.maxQueued()).buildPool();
        this.refused = Counter.builder("pypi.api.admission.refused")
                .description("GraphQL requests refused as busy (503): every slot taken and the queue full, or the wait ran out")
                .register(meters);
        if (slots != null) {
            Gauge.builder("pypi.api.admission.running", slots, pool -> pool.metrics().acquiredSize())
                    .description("GraphQL requests running against the warehouse").register(meters);
            Gauge.builder("pypi.api.admission.waiting", slots, pool -> pool.metrics().pendingAcquireSize())
                    .description("GraphQL requests waiting for a slot").register(meters);
        }
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (slots == null) {
            return chain.next(request);
        }
        Mono<PooledRef<Boolean>> slot = slots.acquire(settings.maxWait())
                .onErrorMap(failure -> failure instanceof PoolAcquirePendingLimitException || failure instanceof PoolAcquireTimeoutException,
                        failure -> {
                            refused.increment();
                            return new Busy(Math.max(1, settings.retryAfter().toSeconds()));
                        });
        return Mono.usingWhen(slot, taken -> chain.next(request), PooledRef::release);
    }
}
