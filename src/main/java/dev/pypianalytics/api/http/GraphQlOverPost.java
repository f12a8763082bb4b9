package dev.pypianalytics.api.http;

import dev.pypianalytics.config.ApiProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code POST /graphql}, and every method but {@code GET}/{@code HEAD} on that path, ahead of Spring's own
 * route: Spring's answers a request it cannot read with a bare 400, 415 or 500 (a body over its codec
 * limit), or a 200 with an empty body (an empty or {@code null} body).
 *
 * <p>Checked in this order, each failure a GraphQL response with one error naming the problem: the method
 * (405 with {@code Allow}), {@code Accept} (406), {@code Content-Type} and {@code Content-Encoding} (415),
 * the size (413 naming the limit, {@code pypi.api.request-body.max-size}; never more than the limit kept in
 * memory, see {@link LimitedBody}), the time the body takes to arrive (408,
 * {@code pypi.api.request-body.timeout}) and its JSON (400, see {@link GraphQlRequestBody}). The request
 * read here goes to Spring's GraphQL handler (and its interceptors) as read: Spring's codec, whose limit
 * overflowed as a 500, never sees the body.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class GraphQlOverPost {

    static final String PATH = "/graphql";

    /** Most of an oversized body read (and dropped) so that its sender gets to read the 413; past it, the connection is closed. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    /** What {@code /graphql} answers (GET is our own route, GraphQlOverGet). */
    static final List<HttpMethod> ALLOWED = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS);

    /** After GraphQlOverGet's GET route (-10), before Spring Boot's GraphQL routes (0). */
    @Bean
    @Order(-5)
    RouterFunction<ServerResponse> graphQlPostRoutes(WebGraphQlHandler graphQl, ApiProperties properties) {
        Post post = new Post(graphQl, properties.requestBody().maxSize().toBytes(), properties.requestBody().timeout());
        return RouterFunctions.route()
                .POST(PATH, post::handle)
                // A CORS preflight never gets here: its Access-Control-Request-Method is what the predicate sees.
                .OPTIONS(PATH, request -> ServerResponse.noContent().allow(ALLOWED.toArray(HttpMethod[]::new)).build())
                .route(RequestPredicates.path(PATH), request -> new RequestRejected(HttpStatus.METHOD_NOT_ALLOWED,
                        request.method().name() + " is not supported here: " + PATH + " answers GET and HEAD (a query in the URL) and POST"
                                + " (a JSON body).")
                        .headers(headers -> headers.setAllow(new LinkedHashSet<>(ALLOWED)))
                        .toResponse(GraphQlMediaTypes.responseTypeOrJson(request.headers().header(HttpHeaders.ACCEPT))))
                .build();
    }

    private record Post(WebGraphQlHandler graphQl, long maxBytes, Duration timeout) {

        Mono<ServerResponse> handle(ServerRequest request) {
            ServerRequest.Headers headers = request.headers();
            MediaType answerType;
            try {
                answerType = GraphQlMediaTypes.responseType(headers.header(HttpHeaders.ACCEPT));
            } catch (RequestRejected notAcceptable) {
                return notAcceptable.toResponse(MediaType.APPLICATION_JSON);
            }
            try {
                GraphQlMediaTypes.requireJsonBody(headers.firstHeader(HttpHeaders.CONTENT_TYPE));
                GraphQlMediaTypes.requireUncompressed(headers.header(HttpHeaders.CONTENT_ENCODING));
                OptionalLong declared = headers.contentLength();
                if (declared.isPresent() && declared.getAsLong() > maxBytes
                        && (declared.getAsLong() > DRAIN_LIMIT || "100-continue".equalsIgnoreCase(headers.firstHeader(HttpHeaders.EXPECT)))) {
                    // Answered before reading: a client waiting for "100 Continue" has sent nothing, and a body over
                    // the drain limit would not be read to its end anyway.
                    throw tooLarge();
                }
            } catch (RequestRejected rejected) {
                return rejected.toResponse(answerType);
            }
            return read(request)
                    .map(GraphQlRequestBody::parse)
                    .flatMap(body -> execute(request, body, answerType))
                    .onErrorResume(RequestRejected.class, rejected -> rejected.toResponse(answerType));
        }

        /**
         * The whole body, at most {@code maxBytes} of it in memory, within {@code timeout}. A longer one is read
         * to its end and dropped (up to {@link #DRAIN_LIMIT}) so that the client, still sending, can read the 413.
         */
        private Mono<byte[]> read(ServerRequest request) {
            LimitedBody body = new LimitedBody(maxBytes, DRAIN_LIMIT);
            return request.bodyToFlux(DataBuffer.class)
                    .map(buffer -> {
                        try {
                            int count = buffer.readableByteCount();
                            body.add(buffer);
                            return count;
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    })
                    .takeUntil(ignored -> body.pastDrainLimit())
                    .then(Mono.fromCallable(() -> {
                        if (body.overLimit()) {
                            throw tooLarge();
                        }
                        return body.bytes();
                    }))
                    .timeout(timeout, Mono.defer(() -> Mono.error(body.overLimit() ? tooLarge() : timedOut())));
        }

        private RequestRejected timedOut() {
            return new RequestRejected(HttpStatus.REQUEST_TIMEOUT, "The request body did not arrive within " + seconds(timeout)
                    + " (pypi.api.request-body.timeout); send the whole body at once, with a Content-Length that matches it.")
                    .header(HttpHeaders.CONNECTION, "close");
        }

        private Mono<ServerResponse> execute(ServerRequest request, Map<String, Object> body, MediaType answerType) {
            return graphQl.handleRequest(GraphQlOverHttp.request(request, body))
                    .flatMap(response -> ServerResponse.status(GraphQlOverHttp.status(response, answerType))
                            .headers(target -> target.addAll(response.getResponseHeaders()))
                            .contentType(answerType)
                            .bodyValue(response.toMap()));
        }

        private RequestRejected tooLarge() {
            // The body may not have been read to its end: the connection cannot carry another request after it.
            return new RequestRejected(HttpStatus.CONTENT_TOO_LARGE, "The request body is over this gateway's limit of " + limit(maxBytes)
                    + " (pypi.api.request-body.max-size); send a shorter query, or a persisted query's hash instead of its text.")
                    .header(HttpHeaders.CONNECTION, "close");
        }
    }

    /** 102400 → "100 KB = 102400 bytes", in DataSize's units (1 KB = 1024 bytes). */
    static String limit(long bytes) {
        String size = bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes % 1024 == 0 ? bytes / 1024 + " KB" : null;
        return size == null ? bytes + " bytes" : size + " = " + bytes + " bytes";
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
