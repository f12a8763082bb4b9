package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
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
        ApiProperties properties = new ApiProperties(15, 5000, 1_000_000, 1_000, Duration.ofMillis(200),
                new ApiProperties.RateLimit(true, 600, "X-API-Key"), new ApiProperties.Cache(true, 10, Duration.ZERO, 10),
                new ApiProperties.PersistedQueries("classpath*:graphql/operations/*.graphql", false, 10), new ApiProperties.HttpCache(Duration.ZERO), true,
                new ApiProperties.RequestBody(org.springframework.util.unit.DataSize.ofKilobytes(100), Duration.ofSeconds(10)));
        WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), null, null, Map.of(),
                new DefaultGraphQlRequest("{ stats { totalDownloads } }"), "1", Locale.ROOT);

        StepVerifier.create(new RequestTimeout(properties).intercept(request, next -> Mono.never()))
                .assertNext(response -> {
                    assertThat(response.getErrors()).hasSize(1);
                    assertThat(response.getErrors().getFirst().getErrorType()).isEqualTo(RequestTimeout.Classification.TIMEOUT);
                    assertThat(response.getErrors().getFirst().getMessage()).contains("longer than 0 s");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
