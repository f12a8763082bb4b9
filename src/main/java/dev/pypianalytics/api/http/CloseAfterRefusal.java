package dev.pypianalytics.api.http;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request with a body that is refused (any 4xx or 5xx: over the rate limit, a wrong content type, too
 * large, ...) is answered with {@code Connection: close}. Refusals are answered without reading the body,
 * and the rest of an unread body on a kept-alive connection would be taken for the client's next request
 * (seen: the next request on that connection hung until the client gave up).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CloseAfterRefusal implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders request = exchange.getRequest().getHeaders();
        if (request.getContentLength() > 0 || request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            exchange.getResponse().beforeCommit(() -> {
                var status = exchange.getResponse().getStatusCode();
                if (status != null && status.isError()) {
                    exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                }
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }
}
