package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limit on mock exchanges with a hand-driven clock. */
class RateLimitFilterTests {

    /** printf %s partner-key | sha256sum */
    static final String PARTNER_KEY_SHA256 = "346e50af211b5135824bb2bb58fe0f9e6df228adcf10c58a37fbc46b57baee74";

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    RateLimitFilter filter(int perMinute) {
        return new RateLimitFilter(new ApiProperties.RateLimit(true, perMinute, "X-API-Key"), now::get);
    }

    RateLimitFilter filter(int perMinute, List<ApiProperties.ApiKey> keys, List<String> trustedProxies, int maxClients) {
        return new RateLimitFilter(new ApiProperties.RateLimit(true, perMinute, "X-API-Key", keys, trustedProxies, 64, maxClients), now::get);
    }

    static MockServerWebExchange send(RateLimitFilter filter, HttpMethod method, String path, String address,
                                      UnaryOperator<MockServerHttpRequest.BaseBuilder<?>> request) {
        MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.method(method, java.net.URI.create("http://localhost" + path))
                .remoteAddress(new InetSocketAddress(address, 40000));
        MockServerWebExchange exchange = MockServerWebExchange.from(request.apply(builder));
        filter.filter(exchange, passed -> {
            passed.getResponse().setStatusCode(HttpStatus.OK);
            return Mono.empty();
        }).block();
        return exchange;
    }

    static MockServerWebExchange post(RateLimitFilter filter, String address, String key) {
        return send(filter, HttpMethod.POST, "/graphql", address, request -> key == null ? request : request.header("X-API-Key", key));
    }

    static HttpStatus status(MockServerWebExchange exchange) {
        return HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }

    static String header(MockServerWebExchange exchange, String name) {
        return exchange.getResponse().getHeaders().getFirst(name);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndAGraphQlErrorAndRecovers() {
        RateLimitFilter filter = filter(3);
        for (int remaining = 2; remaining >= 0; remaining--) {
            MockServerWebExchange answer = post(filter, "203.0.113.7", null);
            assertThat(status(answer)).isEqualTo(HttpStatus.OK);
            assertThat(header(answer, "RateLimit-Limit")).isEqualTo("3");
            assertThat(header(answer, "RateLimit-Remaining")).isEqualTo(String.valueOf(remaining));
        }
        MockServerWebExchange refused = post(filter, "203.0.113.7", null);
        assertThat(status(refused)).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // 3 per minute: one back every 20 s, all three after a minute.
        assertThat(header(refused, "Retry-After")).isEqualTo("20");
        assertThat(header(refused, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(header(refused, "RateLimit-Reset")).isEqualTo("60");
        assertThat(refused.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(refused.getResponse().getBodyAsString().block()).isEqualTo("{\"errors\":[{\"message\":\"Too many requests: "
                + "at most 3 per minute per client. Retry after 20 s.\",\"extensions\":{\"classification\":\"TOO_MANY_REQUESTS\"}}]}");
        // Another address has its own budget.
        assertThat(status(post(filter, "203.0.113.8", null))).isEqualTo(HttpStatus.OK);
        now.addAndGet(20_000_000_000L);
        assertThat(status(post(filter, "203.0.113.7", null))).isEqualTo(HttpStatus.OK);
        assertThat(status(post(filter, "203.0.113.7", null))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void aNewUnknownKeyOnEveryRequestDoesNotEscapeTheLimit() {
        RateLimitFilter filter = filter(3);
        for (int i = 0; i < 3; i++) {
            assertThat(status(post(filter, "203.0.113.7", "made-up-" + i))).isEqualTo(HttpStatus.OK);
        }
        assertThat(status(post(filter, "203.0.113.7", "made-up-3"))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(status(post(filter, "203.0.113.7", null))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void aConfiguredKeyHasItsOwnLimitFromAnyAddress() {
        RateLimitFilter filter = filter(2, List.of(new ApiProperties.ApiKey("partner", PARTNER_KEY_SHA256, 5)), List.of(), 1000);
        for (int i = 0; i < 5; i++) {
            // The key's budget, whichever of the partner's machines sends.
            MockServerWebExchange answer = post(filter, "198.51.100." + (i + 1), "partner-key");
            assertThat(status(answer)).isEqualTo(HttpStatus.OK);
            assertThat(header(answer, "RateLimit-Limit")).isEqualTo("5");
            assertThat(header(answer, "RateLimit-Remaining")).isEqualTo(String.valueOf(4 - i));
        }
        assertThat(status(post(filter, "198.51.100.9", "partner-key"))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // The key's requests did not use the addresses' budgets.
        MockServerWebExchange anonymous = post(filter, "198.51.100.1", null);
        assertThat(status(anonymous)).isEqualTo(HttpStatus.OK);
        assertThat(header(anonymous, "RateLimit-Limit")).isEqualTo("2");
        // A key differing in one character is not the key: counted against the address.
        assertThat(header(post(filter, "198.51.100.1", "partner-kez"), "RateLimit-Limit")).isEqualTo("2");
        assertThat(status(post(filter, "198.51.100.1", "partner-kez"))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void badgesAndEveryGraphQlRouteShareTheCallersBudget() {
        RateLimitFilter filter = filter(6);
        String address = "203.0.113.7";
        assertThat(status(send(filter, HttpMethod.GET, "/badge/requests.svg", address, r -> r))).isEqualTo(HttpStatus.OK);
        assertThat(status(send(filter, HttpMethod.GET, "/graphql?query=%7B__typename%7D", address, r -> r))).isEqualTo(HttpStatus.OK);
        assertThat(status(send(filter, HttpMethod.GET, "/graphql/operations", address, r -> r))).isEqualTo(HttpStatus.OK);
        // The router decodes the path and drops matrix parameters: so does the limit.
        assertThat(status(send(filter, HttpMethod.POST, "/%67raphql", address, r -> r))).isEqualTo(HttpStatus.OK);
        assertThat(status(send(filter, HttpMethod.POST, "/graphql;x=1", address, r -> r))).isEqualTo(HttpStatus.OK);
        assertThat(status(send(filter, HttpMethod.HEAD, "/badge/requests.json", address, r -> r))).isEqualTo(HttpStatus.OK);
        assertThat(status(send(filter, HttpMethod.GET, "/graphql/schema", address, r -> r))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(status(send(filter, HttpMethod.GET, "/badge/requests.svg", address, r -> r))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void pagesAndHealthAreNotLimitedAndTheLimitCanBeOff() {
        RateLimitFilter filter = filter(1);
        for (String path : List.of("/actuator/health", "/", "/graphiql", "/app/app.js")) {
            for (int i = 0; i < 3; i++) {
                MockServerWebExchange answer = send(filter, HttpMethod.GET, path, "203.0.113.7", r -> r);
                assertThat(status(answer)).isEqualTo(HttpStatus.OK);
                assertThat(header(answer, "RateLimit-Limit")).isNull();
            }
        }
        RateLimitFilter off = new RateLimitFilter(new ApiProperties.RateLimit(false, 1, "X-API-Key"), now::get);
        for (int i = 0; i < 5; i++) {
            assertThat(status(post(off, "203.0.113.7", null))).isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void forwardedForCountsOnlyWhenTheRequestComesFromATrustedProxy() {
        RateLimitFilter direct = filter(1, List.of(), List.of(), 1000);
        assertThat(status(send(direct, HttpMethod.POST, "/graphql", "203.0.113.7", r -> r.header("X-Forwarded-For", "192.0.2.1"))))
                .isEqualTo(HttpStatus.OK);
        // Naming another address does not make another client.
        assertThat(status(send(direct, HttpMethod.POST, "/graphql", "203.0.113.7", r -> r.header("X-Forwarded-For", "192.0.2.2"))))
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        RateLimitFilter proxied = filter(1, List.of(), List.of("10.0.0.0/8"), 1000);
        assertThat(status(send(proxied, HttpMethod.POST, "/graphql", "10.1.2.3", r -> r.header("X-Forwarded-For", "192.0.2.1"))))
                .isEqualTo(HttpStatus.OK);
        assertThat(status(send(proxied, HttpMethod.POST, "/graphql", "10.1.2.4", r -> r.header("X-Forwarded-For", "192.0.2.2"))))
                .isEqualTo(HttpStatus.OK);
        // What the client wrote left of the address the proxy appended does not count.
        assertThat(status(send(proxied, HttpMethod.POST, "/graphql", "10.1.2.3", r -> r.header("X-Forwarded-For", "198.51.100.77, 192.0.2.1"))))
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void ipv6ClientsInOneSlash64ShareABudget() {
        RateLimitFilter filter = filter(2);
        assertThat(status(post(filter, "2001:db8:1:2::1", null))).isEqualTo(HttpStatus.OK);
        assertThat(status(post(filter, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", null))).isEqualTo(HttpStatus.OK);
        assertThat(status(post(filter, "2001:db8:1:2:ffff::9", null))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(status(post(filter, "2001:db8:1:3::1", null))).isEqualTo(HttpStatus.OK);
    }

    @Test
    void theBucketsStayBoundedWhateverTheNumberOfClients() {
        RateLimitFilter filter = filter(5, List.of(), List.of(), 100);
        for (int i = 0; i < 2000; i++) {
            post(filter, "198.18." + (i / 256) + "." + (i % 256), null);
        }
        assertThat(filter.clients()).isLessThanOrEqualTo(100);
        // An idle bucket is dropped after a minute, when it would be full again anyway.
        now.addAndGet(61_000_000_000L);
        assertThat(filter.clients()).isZero();
    }
}
