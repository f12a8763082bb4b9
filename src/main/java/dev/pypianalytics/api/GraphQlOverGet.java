package dev.pypianalytics.api;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.DataVersion;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GraphQL over {@code GET} (the GraphQL-over-HTTP spec's form: {@code query}, {@code operationName},
 * {@code variables} and {@code extensions} as URL parameters), the form browsers, CDNs and proxies can
 * cache, with HTTP caching headers; APQ and registered operations wired into graphql-java; and the
 * manifest of registered operations at {@code GET /graphql/operations}.
 *
 * <p>Caching: an answer without errors carries {@code Cache-Control: public, max-age=<pypi.api.http-cache.max-age>}
 * and an {@code ETag} computed from the URL and the data's version (the result cache's); a request whose
 * {@code If-None-Match} names the current tag gets {@code 304 Not Modified} without running. Answers with
 * errors, query-plan requests and every {@code POST} answer are {@code Cache-Control: no-store}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class GraphQlOverGet {

    static final String PATH = "/graphql";

    @Bean
    GraphQlSourceBuilderCustomizer persistedOperationsProvider(PersistedOperations operations) {
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(operations));
    }

    /** Before Spring Boot's own route, which answers {@code GET /graphql} with 405. */
    @Bean
    @Order(-10)
    RouterFunction<ServerResponse> graphQlGetRoutes(WebGraphQlHandler handler, DataVersion cache, ApiProperties properties,
                                                    JsonMapper json, PersistedOperations operations) {
        Handler get = new Handler(handler, cache, properties.httpCache().maxAge(), json);
        return RouterFunctions.route()
                .GET(PATH, get::handle)
                .GET(PATH + "/operations", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(manifest(operations)))
                .build();
    }

    /** POST answers (and anything not cached on purpose) must not be kept by shared caches. */
    @Bean
    @Order(0)
    WebGraphQlInterceptor noStoreByDefault() {
        return (request, chain) -> chain.next(request).doOnNext(response -> {
            if (response.getResponseHeaders().getCacheControl() == null) {
                response.getResponseHeaders().setCacheControl(CacheControl.noStore());
            }
        });
    }

    /** Apollo's persisted query manifest format. */
    private static Map<String, Object> manifest(PersistedOperations operations) {
        List<Map<String, Object>> list = operations.registered().stream()
                .map(operation -> Map.<String, Object>of("id", operation.sha256(), "name", operation.name(), "type", "query",
                        "body", operation.document()))
                .toList();
        return Map.of("format", "apollo-persisted-query-manifest", "version", 1, "operations", list);
    }

    private record Handler(WebGraphQlHandler graphQl, DataVersion cache, java.time.Duration maxAge, JsonMapper json) {

        Mono<ServerResponse> handle(ServerRequest request) {
            Map<String, Object> body = new LinkedHashMap<>();
            try {
                request.queryParam("query").ifPresent(query -> body.put("query", query));
                request.queryParam("operationName").filter(name -> !name.isBlank()).ifPresent(name -> body.put("operationName", name));
                request.queryParam("variables").filter(text -> !text.isBlank()).ifPresent(text -> body.put("variables", object(text, "variables")));
                request.queryParam("extensions").filter(text -> !text.isBlank()).ifPresent(text -> body.put("extensions", object(text, "extensions")));
            } catch (IllegalArgumentException e) {
                return badRequest(e.getMessage());
            }
            if (!body.containsKey("query")) {
                if (!(body.get("extensions") instanceof Map<?, ?> extensions && extensions.containsKey("persistedQuery"))) {
                    return badRequest("GET " + PATH + " needs a query parameter (or extensions with a persistedQuery).");
                }
                body.put("query", PersistedQuerySupport.PERSISTED_QUERY_MARKER);
            }
            boolean planAsked = "true".equalsIgnoreCase(request.headers().firstHeader(QueryPlanInterceptor.HEADER))
                    || body.get("extensions") instanceof Map<?, ?> extensions && Boolean.TRUE.equals(extensions.get(QueryPlanInterceptor.EXTENSION));
            boolean cacheable = !maxAge.isZero() && !planAsked;
            // No tag while the data's version cannot be read (the warehouse is down): the request runs and says so.
            Mono<String> tag = cacheable ? cache.version().map(version -> etag(version, request.uri().getRawQuery()))
                    .onErrorReturn("") : Mono.just("");
            return tag.flatMap(etag -> {
                if (!etag.isEmpty() && request.headers().header(HttpHeaders.IF_NONE_MATCH).stream()
                        .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                        .anyMatch(value -> value.strip().equals(etag))) {
                    return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag)
                            .cacheControl(CacheControl.maxAge(maxAge).cachePublic()).build();
                }
                WebGraphQlRequest graphQlRequest = new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(),
                        request.cookies(), request.remoteAddress().orElse(null), request.attributes(), body,
                        request.exchange().getRequest().getId(), request.exchange().getLocaleContext().getLocale() != null
                        ? request.exchange().getLocaleContext().getLocale() : Locale.ROOT);
                return graphQl.handleRequest(graphQlRequest).flatMap(response -> {
                    boolean ok = response.isValid() && response.getErrors().isEmpty();
                    HttpHeaders headers = new HttpHeaders();
                    headers.addAll(response.getResponseHeaders());
                    if (ok && !etag.isEmpty()) {
                        headers.setCacheControl(CacheControl.maxAge(maxAge).cachePublic());
                        headers.setETag(etag);
                    } else {
                        headers.setCacheControl(CacheControl.noStore());
                    }
                    return ServerResponse.ok().headers(target -> target.addAll(headers)).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(response.toMap());
                });
            });
        }

        private Map<String, Object> object(String text, String parameter) {
            try {
                Object value = json.readValue(text, Object.class);
                if (value instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) map;
                    return object;
                }
            } catch (JacksonException e) {
                // reported below
            }
            throw new IllegalArgumentException("The " + parameter + " parameter must be a JSON object.");
        }

        private static Mono<ServerResponse> badRequest(String message) {
            return ServerResponse.badRequest().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                    .bodyValue(Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("classification", "BAD_REQUEST")))));
        }

        private static String etag(String dataVersion, String rawQuery) {
            return "W/\"" + PersistedOperations.sha256(dataVersion + "\n" + rawQuery).substring(0, 32) + "\"";
        }
    }
}
