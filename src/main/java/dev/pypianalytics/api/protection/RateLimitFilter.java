package dev.pypianalytics.api.protection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.config.ApiProperties;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Per-client rate limit on the API: every method and path under {@code /graphql} (POST and GET queries,
 * {@code /graphql/operations}, {@code /graphql/schema}) and the badges ({@code /badge/}), all drawing on the
 * same budget. The standard headers ({@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset}) are on every answer there; a client over its rate gets {@code 429} with
 * {@code Retry-After} and a GraphQL-shaped JSON body.
 *
 * <p>A client is a configured API key (its SHA-256 among {@code pypi.api.rate-limit.keys}), with that key's
 * limit; any other request, whatever key it carries, counts against its address (see
 * {@link ClientAddresses}) with the default limit. Token buckets are Bucket4j's (refilled greedily: n per
 * minute is one every 60/n s, bursts up to n), kept in a Caffeine cache bounded by size: Caffeine's
 * admission policy keeps the buckets of busy clients when a flood of new addresses pushes for room, and a
 * bucket idle for a minute is full again, so dropping it then changes nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RateLimitFilter implements WebFilter {

    /** First path segments that are limited (compared as routed: decoded, without matrix parameters). */
    private static final List<String> LIMITED = List.of("graphql", "badge");
    private static final Duration PERIOD = Duration.ofMinutes(1);

    /** Who a request counts against, with its limit. */
    record Client(String id, int requestsPerMinute) {
    }

    private final ApiProperties.RateLimit settings;
    private final Map<String, Client> keysBySha256;
    private final ClientAddresses addresses;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    @Autowired
    public RateLimitFilter(ApiProperties properties) {
        this(properties.rateLimit(), System::nanoTime);
    }

    RateLimitFilter(ApiProperties.RateLimit settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.keysBySha256 = settings.keys().stream().collect(Collectors.toUnmodifiableMap(
                key -> key.sha256().toLowerCase(Locale.ROOT),
                key -> new Client("key:" + key.sha256().toLowerCase(Locale.ROOT), key.requestsPerMinute()),
                (first, second) -> {
                    throw new IllegalArgumentException("pypi.api.rate-limit.keys: the same key is configured twice");
                }));
        this.addresses = new ClientAddresses(settings.trustedProxies(), settings.ipv6PrefixLength());
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caffeine.newBuilder()
                .maximumSize(settings.maxClients())
                .expireAfterAccess(PERIOD)
                .ticker(nanoClock::getAsLong)
                .build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!settings.enabled() || LIMITED.stream().noneMatch(RoutedPath.of(exchange.getRequest())::isWithin)) {
            return chain.filter(exchange);
        }
        Client client = client(exchange.getRequest());
        ConsumptionProbe probe = buckets.get(client.id(), id -> newBucket(client.requestsPerMinute())).tryConsumeAndReturnRemaining(1);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("RateLimit-Limit", String.valueOf(client.requestsPerMinute()));
        headers.set("RateLimit-Remaining", String.valueOf(probe.getRemainingTokens()));
        headers.set("RateLimit-Reset", String.valueOf(seconds(probe.getNanosToWaitForReset())));
        if (probe.isConsumed()) {
            return chain.filter(exchange);
        }
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        exchange.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setCacheControl(CacheControl.noStore());
        byte[] body = ("{\"errors\":[{\"message\":\"Too many requests: at most " + client.requestsPerMinute()
                + " per minute per client. Retry after " + retryAfter + " s.\","
                + "\"extensions\":{\"classification\":\"TOO_MANY_REQUESTS\"}}]}").getBytes(StandardCharsets.UTF_8);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    /**
     * A configured key is looked up by its hash, so what the lookup's time could tell is about the hash of
     * what was sent, which says nothing about any key.
     */
    private Client client(ServerHttpRequest request) {
        String key = request.getHeaders().getFirst(settings.clientHeader());
        if (key != null && !key.isBlank()) {
            Client configured = keysBySha256.get(sha256(key.strip()));
            if (configured != null) {
                return configured;
            }
        }
        String address = addresses.clientOf(request.getRemoteAddress(), request.getHeaders().get("X-Forwarded-For"));
        return new Client("address:" + address, settings.requestsPerMinute());
    }

    private Bucket newBucket(int perMinute) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, PERIOD))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Buckets kept now (after pending evictions). */
    long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
