package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.support.ApiSettings;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.support.DefaultGraphQlRequest;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A request that does not finish in time is answered with a TIMEOUT error instead of hanging. */
class RequestTimeoutTests {

    @Test
    void aRequestThatNeverFinishesIsAnsweredWithATimeoutError() {
        ApiProperties properties = ApiSettings.with(Map.of("request-timeout", "200ms"));
        WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), null, null, Map.of(),
                new DefaultGraphQlRequest("{ stats { totalDownloads } }"), "1", Locale.ROOT);

        StepVerifier.create(new RequestTimeout(properties).intercept(request, next -> Mono.never()))
                .assertNext(response -> {
                    assertThat(response.getErrors()).hasSize(1);
                    assertThat(response.getErrors().getFirst().getErrorType()).isEqualTo(dev.pypianalytics.api.ApiErrorType.TIMEOUT);
                    assertThat(response.getErrors().getFirst().getMessage()).contains("longer than 200 ms ");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void theMessageNamesTheLimitAsConfigured() {
        assertThat(RequestTimeout.readable(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(RequestTimeout.readable(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(RequestTimeout.readable(Duration.ofMillis(200))).isEqualTo("200 ms");
        assertThat(RequestTimeout.readable(Duration.ofMinutes(2))).isEqualTo("120 s");
    }
}
