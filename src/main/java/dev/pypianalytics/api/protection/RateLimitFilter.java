package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-client rate limit on the GraphQL endpoint, with the standard headers ({@code RateLimit-Limit},
 * {@code RateLimit-Remaining}, {@code RateLimit-Reset}) on every answer and {@code 429} with
 * {@code Retry-After} when a client is over its rate. A client is its API-key header, else its address.
 */
@Component
public class RateLimitFilter implements WebFilter {

    private static final int FORGET_AFTER_CLIENTS = 10_000;

    private final ApiProperties.RateLimit settings;
    private final LongSupplier clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Autowired
    public RateLimitFilter(ApiProperties properties) {
        this(properties.rateLimit(), System::nanoTime);
    }

    RateLimitFilter(ApiProperties.RateLimit settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!settings.enabled() || !exchange.getRequest().getPath().value().startsWith("/graphql")) {
            return chain.filter(exchange);
        }
        if (buckets.size() > FORGET_AFTER_CLIENTS) {
            long aMinuteAgo = clock.getAsLong() - 60_000_000_000L;
            buckets.values().removeIf(bucket -> bucket.idleSince(aMinuteAgo));
        }
        TokenBucket bucket = buckets.computeIfAbsent(client(exchange), key -> new TokenBucket(settings.requestsPerMinute(), clock));
        TokenBucket.Decision decision = bucket.take();
        var headers = exchange.getResponse().getHeaders();
        headers.set("RateLimit-Limit", String.valueOf(settings.requestsPerMinute()));
        headers.set("RateLimit-Remaining", String.valueOf(decision.remaining()));
        headers.set("RateLimit-Reset", String.valueOf(decision.secondsToFull()));
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        headers.set("Retry-After", String.valueOf(Math.max(1, decision.secondsToNext())));
        headers.setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ("{\"errors\":[{\"message\":\"Too many requests: at most " + settings.requestsPerMinute()
                + " per minute per client. Retry after " + Math.max(1, decision.secondsToNext()) + " s.\","
                + "\"extensions\":{\"classification\":\"TOO_MANY_REQUESTS\"}}]}").getBytes(StandardCharsets.UTF_8);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    private String client(ServerWebExchange exchange) {
        String key = exchange.getRequest().getHeaders().getFirst(settings.clientHeader());
        if (key != null && !key.isBlank()) {
            return "key:" + key;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return "address:" + (remote == null ? "unknown" : remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress());
    }
}
