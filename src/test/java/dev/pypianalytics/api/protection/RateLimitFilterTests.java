package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/** The rate limit on a bare web handler with a hand-driven clock. */
class RateLimitFilterTests {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RateLimitFilter filter = new RateLimitFilter(new ApiProperties.RateLimit(true, 3, "X-API-Key"), now::get);
    final WebTestClient web = WebTestClient.bindToWebHandler(exchange -> {
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        return Mono.empty();
    }).webFilter(filter).build();

    WebTestClient.ResponseSpec post(String key) {
        return key == null ? web.post().uri("/graphql").exchange() : web.post().uri("/graphql").header("X-API-Key", key).exchange();
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndRecovers() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            post("alice").expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "3")
                    .expectHeader().valueEquals("RateLimit-Remaining", String.valueOf(remaining));
        }
        post("alice").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().valueEquals("Retry-After", "20")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectBody().jsonPath("$.errors[0].message").value(message -> org.assertj.core.api.Assertions.assertThat((String) message)
                        .contains("at most 3 per minute"));
        // Another client has its own budget.
        post("bob").expectStatus().isOk();
        // Twenty seconds later one request is available again (3 per minute).
        now.addAndGet(20_000_000_000L);
        post("alice").expectStatus().isOk();
        post("alice").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void onlyTheGraphQlEndpointIsLimitedAndTheLimitCanBeOff() {
        for (int i = 0; i < 5; i++) {
            web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectHeader().doesNotExist("RateLimit-Limit");
        }
        WebTestClient unlimited = WebTestClient.bindToWebHandler(exchange -> Mono.empty())
                .webFilter(new RateLimitFilter(new ApiProperties.RateLimit(false, 1, "X-API-Key"), now::get)).build();
        for (int i = 0; i < 5; i++) {
            unlimited.post().uri("/graphql").exchange().expectStatus().isOk();
        }
    }
}
