package dev.pypianalytics.api.http;

import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;

import java.util.Locale;
import java.util.Map;

/** What the GET and POST forms of the GraphQL endpoint share once a request is read. */
public final class GraphQlOverHttp {

    private GraphQlOverHttp() {
    }

    /** The request for Spring's GraphQL handler (and its interceptors), from the HTTP exchange and the members read. */
    public static WebGraphQlRequest request(ServerRequest request, Map<String, Object> body) {
        Locale locale = request.exchange().getLocaleContext().getLocale();
        return new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(), request.cookies(),
                request.remoteAddress().orElse(null), request.attributes(), body, request.exchange().getRequest().getId(),
                locale != null ? locale : Locale.ROOT);
    }

    /**
     * The status of a GraphQL answer: with {@code application/graphql-response+json}, a response without
     * {@code data} (the request was refused before running: unparsable, invalid, over a limit) is a 400, as
     * the spec asks; with {@code application/json} it is a 200, which legacy clients expect (Spring's own
     * handler does the same).
     */
    public static HttpStatus status(WebGraphQlResponse response, MediaType answerType) {
        return GraphQlMediaTypes.GRAPHQL_RESPONSE.equalsTypeAndSubtype(answerType) && !response.getExecutionResult().isDataPresent()
                ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
    }
}
