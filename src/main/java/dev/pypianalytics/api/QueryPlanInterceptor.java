package dev.pypianalytics.api;

import dev.pypianalytics.downloads.QueryTrace;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On request (header {@code X-Query-Plan: true}, or {@code "extensions": {"queryPlan": true}} in the
 * request body) the response's {@code extensions.queryPlan} lists, per field, the table that answered,
 * the rows ClickHouse read and its own time. Off by default: each query then runs a second time (result
 * discarded) to read ClickHouse's summary.
 */
@Component
@org.springframework.core.annotation.Order(-20)
class QueryPlanInterceptor implements WebGraphQlInterceptor {

    static final String HEADER = "X-Query-Plan";
    static final String EXTENSION = "queryPlan";

    /** Whether the request asks for its query plan (header or extension). */
    static boolean asked(WebGraphQlRequest request) {
        return "true".equalsIgnoreCase(request.getHeaders().getFirst(HEADER)) || Boolean.TRUE.equals(request.getExtensions().get(EXTENSION));
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!asked(request)) {
            return chain.next(request);
        }
        QueryTrace trace = new QueryTrace();
        return chain.next(request)
                .map(response -> response.transform(builder -> {
                    Map<Object, Object> extensions = new LinkedHashMap<>(response.getExecutionResult().getExtensions() == null
                            ? Map.of() : response.getExecutionResult().getExtensions());
                    extensions.put(EXTENSION, trace.toExtension());
                    builder.extensions(extensions);
                }))
                .contextWrite(context -> context.put(QueryTrace.class, trace));
    }
}
