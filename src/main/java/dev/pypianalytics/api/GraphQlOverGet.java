package dev.pypianalytics.api;

import dev.pypianalytics.api.http.GraphQlMediaTypes;
import dev.pypianalytics.api.http.GraphQlOverHttp;
import dev.pypianalytics.api.http.GraphQlRequestBody;
import dev.pypianalytics.api.http.RequestRejected;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.config.FreshnessProperties;
import dev.pypianalytics.downloads.DataVersion;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GraphQL over {@code GET} (the GraphQL-over-HTTP spec's form: {@code query}, {@code operationName},
 * {@code variables} and {@code extensions} as URL parameters), the form browsers, CDNs and proxies can
 * cache, with HTTP caching headers; APQ and registered operations wired into graphql-java; and the
 * manifest of registered operations at {@code GET /graphql/operations}.
 *
 * <p>Caching: an answer without errors carries {@code Cache-Control: public, max-age=<pypi.api.http-cache.max-age>}
 * and an {@code ETag} computed from the URL, the data's version (the result cache's) and the media type; a
 * request whose {@code If-None-Match} names the current tag gets {@code 304 Not Modified} without running.
 * Answers with errors, query-plan requests and every {@code POST} answer are {@code Cache-Control: no-store}.
 *
 * <p>The answer's media type follows {@code Accept} ({@link GraphQlMediaTypes}: 406 when it allows neither
 * JSON type), hence {@code Vary: Accept}; a parameter given twice is refused, since a cache or proxy
 * might read the other one.
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
                                                    PersistedOperations operations, FreshnessProperties freshness) {
        // An answer that always carries extensions.dataAsOf is another representation than one without it.
        Handler get = new Handler(handler, cache, properties.httpCache().maxAge(),
                freshness.dataAsOfExtension() == FreshnessProperties.DataAsOf.ALWAYS ? "\ndataAsOf" : "");
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

    private record Handler(WebGraphQlHandler graphQl, DataVersion cache, java.time.Duration maxAge, String representation) {

        private static final List<String> PARAMETERS = List.of("query", "operationName", "variables", "extensions");

        Mono<ServerResponse> handle(ServerRequest request) {
            MediaType answerType;
            try {
                answerType = GraphQlMediaTypes.responseType(request.headers().header(HttpHeaders.ACCEPT));
            } catch (RequestRejected notAcceptable) {
                return notAcceptable.toResponse(MediaType.APPLICATION_JSON);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            try {
                for (String parameter : PARAMETERS) {
                    if (request.queryParams().getOrDefault(parameter, List.of()).size() > 1) {
                        // Which one counts would depend on who reads the URL (a cache, a proxy, this gateway).
                        throw RequestRejected.badRequest("The " + parameter + " parameter is given more than once; give it once.");
                    }
                }
                request.queryParam("query").filter(query -> !query.isBlank()).ifPresent(query -> body.put("query", query));
                request.queryParam("operationName").filter(name -> !name.isBlank()).ifPresent(name -> body.put("operationName", name));
                request.queryParam("variables").filter(text -> !text.isBlank()).ifPresent(text -> body.put("variables", GraphQlRequestBody.jsonObject(text, "variables")));
                request.queryParam("extensions").filter(text -> !text.isBlank()).ifPresent(text -> body.put("extensions", GraphQlRequestBody.jsonObject(text, "extensions")));
                if (!body.containsKey("query")) {
                    if (!(body.get("extensions") instanceof Map<?, ?> extensions && extensions.containsKey("persistedQuery"))) {
                        throw RequestRejected.badRequest("GET " + PATH + " needs a query parameter (or extensions with a persistedQuery).");
                    }
                    body.put("query", PersistedQuerySupport.PERSISTED_QUERY_MARKER);
                }
            } catch (RequestRejected rejected) {
                return rejected.header(HttpHeaders.VARY, HttpHeaders.ACCEPT).toResponse(answerType);
            }
            boolean planAsked = "true".equalsIgnoreCase(request.headers().firstHeader(QueryPlanInterceptor.HEADER))
                    || body.get("extensions") instanceof Map<?, ?> extensions && Boolean.TRUE.equals(extensions.get(QueryPlanInterceptor.EXTENSION));
            boolean cacheable = !maxAge.isZero() && !planAsked;
            // No tag while the data's version cannot be read (the warehouse is down): the request runs and says so.
            Mono<String> tag = cacheable ? cache.version().map(version -> etag(version + representation, request.uri().getRawQuery(), answerType))
                    .onErrorReturn("") : Mono.just("");
            return tag.flatMap(etag -> {
                if (!etag.isEmpty() && request.headers().header(HttpHeaders.IF_NONE_MATCH).stream()
                        .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                        .anyMatch(value -> value.strip().equals(etag))) {
                    return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag).varyBy(HttpHeaders.ACCEPT)
                            .cacheControl(CacheControl.maxAge(maxAge).cachePublic()).build();
                }
                return graphQl.handleRequest(GraphQlOverHttp.request(request, body)).flatMap(response -> {
                    boolean ok = response.isValid() && response.getErrors().isEmpty();
                    HttpHeaders headers = new HttpHeaders();
                    headers.addAll(response.getResponseHeaders());
                    if (ok && !etag.isEmpty() && !VolatileAnswer.marked(response)) {
                        headers.setCacheControl(CacheControl.maxAge(maxAge).cachePublic());
                        headers.setETag(etag);
                    } else {
                        headers.setCacheControl(CacheControl.noStore());
                    }
                    headers.setVary(List.of(HttpHeaders.ACCEPT));
                    return ServerResponse.status(GraphQlOverHttp.status(response, answerType)).headers(target -> target.addAll(headers))
                            .contentType(answerType).bodyValue(response.toMap());
                });
            });
        }

        /** Of the question, the data's version and the media type (the same answer as another type is another representation). */
        private static String etag(String dataVersion, String rawQuery, MediaType answerType) {
            return "W/\"" + PersistedOperations.sha256(dataVersion + "\n" + rawQuery + "\n" + answerType).substring(0, 32) + "\"";
        }
    }
}
