package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.support.ApiSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultGraphQlRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uncached requests beyond the running slots and the queue are refused at once; slots come back however a request ends. */
class AdmissionTests {

    /** A chain whose executions end only when the test says so. */
    private static final class HeldChain implements org.springframework.graphql.server.WebGraphQlInterceptor.Chain {

        final List<Sinks.One<WebGraphQlResponse>> running = new CopyOnWriteArrayList<>();

        @Override
        public Mono<WebGraphQlResponse> next(WebGraphQlRequest request) {
            Sinks.One<WebGraphQlResponse> answer = Sinks.one();
            running.add(answer);
            return answer.asMono();
        }

        void answer(int execution) {
            running.get(execution).tryEmitValue(new WebGraphQlResponse(new org.springframework.graphql.support.DefaultExecutionGraphQlResponse(
                    request().toExecutionInput(), graphql.ExecutionResult.newExecutionResult().data(Map.of("ok", execution)).build())));
        }
    }

    private static WebGraphQlRequest request() {
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), null, null, Map.of(),
                new DefaultGraphQlRequest("{ stats { totalDownloads } }"), "1", Locale.ROOT);
    }

    private static Admission admission(Map<String, String> settings) {
        return new Admission(ApiSettings.with(settings).admission(), new SimpleMeterRegistry());
    }

    /** Subscribes and records how the request ended: its answer, or its failure. */
    private static AtomicReference<Object> send(Admission admission, HeldChain chain, List<Disposable> subscriptions) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        subscriptions.add(admission.intercept(request(), chain).subscribe(outcome::set, outcome::set));
        return outcome;
    }

    private static List<AtomicReference<Object>> send(Admission admission, HeldChain chain, List<Disposable> subscriptions, int requests) {
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            outcomes.add(send(admission, chain, subscriptions));
        }
        return outcomes;
    }

    @Test
    void twoRunTwoWaitAndTheFifthIsRefusedAtOnce() {
        Admission admission = admission(Map.of("admission.max-concurrent", "2", "admission.max-queued", "2", "admission.max-wait", "30s",
                "admission.retry-after", "3s"));
        HeldChain chain = new HeldChain();
        List<Disposable> subscriptions = new ArrayList<>();
        List<AtomicReference<Object>> outcomes = send(admission, chain, subscriptions, 5);

        assertThat(chain.running).hasSize(2);
        assertThat(outcomes.get(4).get()).isInstanceOfSatisfying(Admission.Busy.class, busy -> {
            assertThat(busy.retryAfterSeconds()).isEqualTo(3);
            assertThat(busy.getMessage()).isEqualTo("The gateway is answering as many requests as it can; try again in 3 s.");
        });
        assertThat(outcomes.subList(0, 4)).allSatisfy(outcome -> assertThat(outcome.get()).isNull());

        // The first answer frees a slot: the first waiting request runs, and so on.
        chain.answer(0);
        assertThat(outcomes.get(0).get()).isInstanceOf(WebGraphQlResponse.class);
        assertThat(chain.running).hasSize(3);
        chain.answer(1);
        chain.answer(2);
        chain.answer(3);
        assertThat(chain.running).hasSize(4);
        assertThat(outcomes.subList(0, 4)).allSatisfy(outcome -> assertThat(outcome.get()).isInstanceOf(WebGraphQlResponse.class));

        // All slots free again: the next request runs at once.
        AtomicReference<Object> later = send(admission, chain, subscriptions);
        assertThat(chain.running).hasSize(5);
        chain.answer(4);
        assertThat(later.get()).isInstanceOf(WebGraphQlResponse.class);
    }

    @Test
    void aRequestThatWaitsTooLongIsRefused() {
        Admission admission = admission(Map.of("admission.max-concurrent", "1", "admission.max-queued", "5", "admission.max-wait", "200ms"));
        HeldChain chain = new HeldChain();
        admission.intercept(request(), chain).subscribe();

        StepVerifier.create(admission.intercept(request(), chain))
                .expectError(Admission.Busy.class)
                .verify(Duration.ofSeconds(10));
        assertThat(chain.running).hasSize(1);
    }

    @Test
    void aSlotComesBackWhenItsRequestFailsOrIsCancelled() {
        Admission admission = admission(Map.of("admission.max-concurrent", "1", "admission.max-queued", "0"));
        List<Disposable> subscriptions = new ArrayList<>();
        HeldChain chain = new HeldChain();

        AtomicReference<Object> failing = send(admission, chain, subscriptions);
        assertThat(send(admission, chain, subscriptions).get()).isInstanceOf(Admission.Busy.class);
        chain.running.getFirst().tryEmitError(new IllegalStateException("execution failed"));
        assertThat(failing.get()).isInstanceOf(IllegalStateException.class);

        AtomicReference<Object> cancelled = send(admission, chain, subscriptions);
        assertThat(chain.running).hasSize(2);
        assertThat(send(admission, chain, subscriptions).get()).isInstanceOf(Admission.Busy.class);
        subscriptions.get(2).dispose();
        assertThat(cancelled.get()).isNull();

        AtomicReference<Object> next = send(admission, chain, subscriptions);
        assertThat(chain.running).hasSize(3);
        chain.answer(2);
        assertThat(next.get()).isInstanceOf(WebGraphQlResponse.class);
    }

    @Test
    void zeroRunningSlotsMeansNoBound() {
        Admission admission = admission(Map.of("admission.max-concurrent", "0", "admission.max-queued", "0"));
        HeldChain chain = new HeldChain();
        List<AtomicReference<Object>> outcomes = send(admission, chain, new ArrayList<>(), 50);
        assertThat(chain.running).hasSize(50);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.get()).isNull());
    }

    @Test
    void theRefusalIsA503WithRetryAfterAndAGraphQlShapedBody() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/graphql"));

        new AdmissionConfiguration().busyHandler().handle(exchange, new Admission.Busy(2)).block(Duration.ofSeconds(5));

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
        assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo(
                "{\"errors\":[{\"message\":\"The gateway is answering as many requests as it can; try again in 2 s.\","
                        + "\"extensions\":{\"classification\":\"BUSY\",\"retryAfterSeconds\":2}}]}");
    }

    @Test
    void otherFailuresAreLeftToTheOtherHandlers() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/graphql"));
        IllegalStateException other = new IllegalStateException("not ours");

        StepVerifier.create(new AdmissionConfiguration().busyHandler().handle(exchange, other))
                .expectErrorMatches(failure -> failure == other)
                .verify(Duration.ofSeconds(5));
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @Test
    void aWaitOrRetryAfterBelowItsMinimumIsAConfigurationError() {
        assertThatThrownBy(() -> ApiSettings.with(Map.of("admission.max-wait", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("pypi.api.admission.max-wait must be positive");
        assertThatThrownBy(() -> ApiSettings.with(Map.of("admission.retry-after", "500ms")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("pypi.api.admission.retry-after must be at least 1s");
        ApiProperties.Admission defaults = ApiSettings.defaults().admission();
        assertThat(List.of(defaults.maxConcurrent(), defaults.maxQueued())).containsExactly(8, 8);
    }
}
