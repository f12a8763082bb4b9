package dev.pypianalytics.api;

import dev.pypianalytics.config.FreshnessProperties;
import dev.pypianalytics.downloads.DataVersion;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code extensions.dataAsOf} on answers: the last day with downloads (ISO date; {@code null} without data), so a
 * client can show how current a figure is without asking {@code freshness}. Always, on request
 * ({@code "extensions": {"dataAsOf": true}}, the default) or never: {@code pypi.freshness.data-as-of-extension}.
 *
 * <p>The day comes from the {@link DataVersion} snapshot that keys the caches and GET's {@code ETag}, so it costs no
 * statement and an answer served from {@link ResponseCache} carries the day of the version it was kept for. This
 * interceptor sits outside {@link ResponseCache} (which keeps only answers without extensions), so cached and
 * executed answers get the extension alike. While the version cannot be read (warehouse down) the last snapshot
 * read is used; before any, the extension is left out.
 */
@Component
@Order(90)
class DataAsOfExtension implements WebGraphQlInterceptor {

    static final String EXTENSION = "dataAsOf";

    private final FreshnessProperties.DataAsOf mode;
    private final DataVersion version;

    DataAsOfExtension(FreshnessProperties properties, DataVersion version) {
        this.mode = properties.dataAsOfExtension();
        this.version = version;
    }

    /** Whether the request gets the extension. */
    static boolean wanted(FreshnessProperties.DataAsOf mode, Map<String, Object> requestExtensions) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ON_REQUEST -> Boolean.TRUE.equals(requestExtensions.get(EXTENSION));
        };
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!wanted(mode, request.getExtensions())) {
            return chain.next(request);
        }
        Mono<Optional<DataVersion.Snapshot>> snapshot = version.current().map(Optional::of)
                .onErrorResume(unreadable -> Mono.just(version.lastRead()));
        return chain.next(request).zipWith(snapshot, (response, current) -> current.isEmpty() ? response : response.transform(builder -> {
            Map<Object, Object> extensions = new LinkedHashMap<>(response.getExecutionResult().getExtensions() == null
                    ? Map.of() : response.getExecutionResult().getExtensions());
            extensions.put(EXTENSION, current.get().lastDay() == null ? null : current.get().lastDay().toString());
            builder.extensions(extensions);
        }));
    }
}
