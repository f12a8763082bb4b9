package dev.pypianalytics.api;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.ResultCache;
import graphql.ExecutionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whole answers, keyed by operation (document, or its persisted-query hash), operation name and
 * variables, for the current version of the data (the statement cache's): a repeated question is
 * answered without executing anything. Only answers without errors are kept; query-plan requests
 * bypass it. Sits innermost among the interceptors, so request ids, logs, timeouts and headers apply
 * to cached answers too. Under it, {@link ResultCache} keeps the rows of each statement, which serves
 * the parts of new questions that earlier ones already asked.
 */
@Component
@Order(100)
class ResponseCache implements WebGraphQlInterceptor {

    private record Entry(String version, Map<String, Object> data) {
    }

    private final boolean enabled;
    private final int maxEntries;
    private final ResultCache statements;
    private final JsonMapper json;
    private final Map<String, Entry> entries;
    private final Counter hits;
    private final Counter misses;

    ResponseCache(ApiProperties properties, ResultCache statements, JsonMapper json, MeterRegistry meters) {
        this.enabled = properties.cache().enabled() && properties.cache().maxResponses() > 0;
        this.maxEntries = properties.cache().maxResponses();
        this.statements = statements;
        this.json = json;
        this.entries = new LinkedHashMap<>(256, 0.75f, true);
        this.hits = meters.counter("pypi.cache.responses", "result", "hit");
        this.misses = meters.counter("pypi.cache.responses", "result", "miss");
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!enabled || QueryPlanInterceptor.asked(request)) {
            return chain.next(request);
        }
        String key = key(request);
        return statements.dataVersion().flatMap(version -> {
            Entry entry;
            synchronized (entries) {
                entry = entries.get(key);
            }
            if (entry != null && entry.version().equals(version)) {
                hits.increment();
                ExecutionResult result = ExecutionResult.newExecutionResult().data(entry.data()).build();
                return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result)));
            }
            misses.increment();
            return chain.next(request).doOnNext(response -> {
                if (response.isValid() && response.getErrors().isEmpty() && response.getExecutionResult().getExtensions() == null
                        && response.getData() instanceof Map<?, ?> data) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> answer = (Map<String, Object>) data;
                    synchronized (entries) {
                        entries.put(key, new Entry(version, answer));
                        if (entries.size() > maxEntries) {
                            entries.remove(entries.keySet().iterator().next());
                        }
                    }
                }
            });
        });
    }

    private String key(WebGraphQlRequest request) {
        Object persisted = request.getExtensions().get("persistedQuery");
        return request.getDocument() + '\u0000' + request.getOperationName() + '\u0000'
                + json.writeValueAsString(request.getVariables()) + '\u0000' + (persisted == null ? "" : json.writeValueAsString(persisted));
    }
}
