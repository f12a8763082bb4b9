package dev.pypianalytics.api;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.CachingClickHouse;
import dev.pypianalytics.downloads.DataVersion;
import graphql.ExecutionResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whole answers, keyed by operation (document, or its persisted-query hash), operation name and
 * variables, for the current {@link DataVersion}: a repeated question is answered without executing
 * anything, and identical questions arriving together execute once. Only answers without errors are kept;
 * query-plan requests bypass it. Bounded by the memory the answers take (their JSON size). While the
 * data's version cannot be read (the warehouse is down), answers of the version read last are still served.
 * Sits innermost among the interceptors, so request ids, logs, timeouts and headers apply to cached
 * answers too. Under it, {@link CachingClickHouse} keeps the rows of each statement, which serves the parts of
 * new questions that earlier ones already asked.
 */
@Component
@Order(100)
class ResponseCache implements WebGraphQlInterceptor {

    private record Key(String request, String version) {
    }

    /** A kept answer; {@link #NOT_KEPT} for one that had errors or extensions (its own request still gets it). */
    private record Entry(Map<String, Object> data, int bytes) {
    }

    private static final Entry NOT_KEPT = new Entry(null, 0);

    private final boolean enabled;
    private final DataVersion version;
    private final JsonMapper json;
    private final AsyncCache<Key, Entry> entries;

    ResponseCache(ApiProperties properties, DataVersion version, JsonMapper json, MeterRegistry meters) {
        long maxBytes = properties.cache().maxResponseBytes().toBytes();
        this.enabled = properties.cache().enabled() && maxBytes > 0;
        this.version = version;
        this.json = json;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(Math.max(1, maxBytes))
                .weigher((Key key, Entry entry) -> entry.bytes() + 2 * key.request().length())
                .recordStats()
                .buildAsync();
        CaffeineCacheMetrics.monitor(meters, entries, "responses");
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!enabled || QueryPlanInterceptor.asked(request)) {
            return chain.next(request);
        }
        String key = key(request);
        return version.version().map(Optional::of)
                // The warehouse cannot say its version: answers of the version read last are still good to serve.
                .onErrorResume(unreadable -> Mono.just(Optional.empty()))
                .flatMap(current -> current.isPresent() ? cached(request, chain, new Key(key, current.get()))
                        : lastKnown(request, chain, key));
    }

    private Mono<WebGraphQlResponse> lastKnown(WebGraphQlRequest request, Chain chain, String key) {
        Optional<Entry> entry = version.lastRead()
                .map(snapshot -> entries.synchronous().getIfPresent(new Key(key, snapshot.version())));
        return entry.isPresent() ? Mono.just(answer(request, entry.get())) : chain.next(request);
    }

    /** The kept answer, or this request's own execution that identical requests arriving meanwhile share. */
    private Mono<WebGraphQlResponse> cached(WebGraphQlRequest request, Chain chain, Key key) {
        return Mono.deferContextual(context -> {
            AtomicReference<WebGraphQlResponse> own = new AtomicReference<>();
            AtomicBoolean executedHere = new AtomicBoolean();
            Mono<Entry> shared = Mono.fromFuture(() -> entries.get(key, (k, executor) -> chain.next(request).contextWrite(context)
                    .doOnSubscribe(subscription -> executedHere.set(true))
                    .map(response -> {
                        own.set(response);
                        return keepable(response) ? new Entry(data(response), json.writeValueAsBytes(response.getData()).length) : NOT_KEPT;
                    })
                    .toFuture()), true);
            return shared.flatMap(entry -> {
                if (own.get() != null) {
                    if (entry == NOT_KEPT) {
                        // Not an answer to keep: forget it (outside the cache's own computation).
                        entries.synchronous().invalidate(key);
                    }
                    return Mono.just(own.get());
                }
                // Another request's execution that could not be kept (errors): this one runs its own.
                return entry == NOT_KEPT ? chain.next(request) : Mono.just(answer(request, entry));
            })
                    // A failure of this request's own execution is its to report; after another's, it runs its own.
                    .onErrorResume(failure -> executedHere.get() ? Mono.error(failure) : chain.next(request));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(WebGraphQlResponse response) {
        return (Map<String, Object>) response.getData();
    }

    private static boolean keepable(WebGraphQlResponse response) {
        return response.isValid() && response.getErrors().isEmpty() && response.getExecutionResult().getExtensions() == null
                && response.getData() instanceof Map<?, ?> && !VolatileAnswer.marked(response);
    }

    private static WebGraphQlResponse answer(WebGraphQlRequest request, Entry entry) {
        ExecutionResult result = ExecutionResult.newExecutionResult().data(entry.data()).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    private String key(WebGraphQlRequest request) {
        Object persisted = request.getExtensions().get("persistedQuery");
        return request.getDocument() + '\u0000' + request.getOperationName() + '\u0000'
                + json.writeValueAsString(request.getVariables()) + '\u0000' + (persisted == null ? "" : json.writeValueAsString(persisted));
    }
}
