package dev.pypianalytics.api.http;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A request to the GraphQL endpoint refused before anything runs: its HTTP status, a message that says
 * what to fix, and the headers RFC 9110 asks for with that status ({@code Allow} with 405, {@code Accept}
 * with 415, ...). It is answered as a GraphQL response with one error, classified {@code BAD_REQUEST} for
 * a 400 and by the status's name otherwise ({@code CONTENT_TOO_LARGE}, {@code UNSUPPORTED_MEDIA_TYPE}, ...),
 * as the rate limit's {@code TOO_MANY_REQUESTS} is.
 */
public final class RequestRejected extends RuntimeException {

    private final HttpStatus status;
    private final HttpHeaders headers = new HttpHeaders();

    public RequestRejected(HttpStatus status, String message) {
        // The client's mistake, reported to it: no stack trace to fill.
        super(message, null, false, false);
        this.status = status;
    }

    public static RequestRejected badRequest(String message) {
        return new RequestRejected(HttpStatus.BAD_REQUEST, message);
    }

    public RequestRejected header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public RequestRejected headers(Consumer<HttpHeaders> change) {
        change.accept(headers);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public HttpHeaders responseHeaders() {
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }

    public String classification() {
        return status.name();
    }

    /** The GraphQL response: no {@code data}, one error. */
    public Map<String, Object> body() {
        return Map.of("errors", List.of(Map.of("message", getMessage(), "extensions", Map.of("classification", classification()))));
    }

    /** This rejection as the answer, in the media type the client accepts. */
    public Mono<ServerResponse> toResponse(MediaType contentType) {
        return ServerResponse.status(status).headers(target -> target.addAll(headers)).contentType(contentType)
                .cacheControl(CacheControl.noStore()).bodyValue(body());
    }
}
