package dev.pypianalytics.api.http;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code HEAD} answered wherever {@code GET} is, with the same status and headers: WebFlux's functional
 * routes match {@code GET} only (a {@code HEAD} of the GraphQL GET route, the pages or the badges was a
 * 404). The request goes on as a {@code GET}; the server's HEAD response decorator, installed for the
 * original method before any filter, drops the body and keeps its {@code Content-Length}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class HeadAsGet implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.HEAD) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(request -> request.method(HttpMethod.GET)).build());
    }
}
