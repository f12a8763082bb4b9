package dev.pypianalytics.api.http;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Headers on every answer, whatever produced it (a route, an error page, the rate limit): browsers must not
 * guess content types ({@code X-Content-Type-Options: nosniff}) nor tell other sites which page of the
 * gateway linked to them ({@code Referrer-Policy: no-referrer}); and the API's answers (GraphQL, badges,
 * actuator), which are data and never pages, get a content security policy that allows nothing
 * ({@code default-src 'none'; frame-ancestors 'none'}). The browser pages keep their own policy; static
 * assets get none, since a script or worker's own policy would bind it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders implements WebFilter {

    static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    static final String REFERRER_POLICY = "no-referrer";

    private static final List<String> API_PATHS = List.of("/graphql", "/badge/", "/actuator");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        ServerHttpResponse response = exchange.getResponse();
        // Set when the answer is committed: an error handler that rewrites the answer cannot drop them.
        response.beforeCommit(() -> {
            HttpHeaders headers = response.getHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            if (!headers.containsHeader("Referrer-Policy")) {
                headers.set("Referrer-Policy", REFERRER_POLICY);
            }
            if (!headers.containsHeader(CONTENT_SECURITY_POLICY) && API_PATHS.stream().anyMatch(path::startsWith)) {
                headers.set(CONTENT_SECURITY_POLICY, API_POLICY);
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
