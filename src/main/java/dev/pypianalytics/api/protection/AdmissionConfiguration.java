package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/**
 * {@link Admission} inside the whole-answer cache (order 100), so a cached answer never waits for a slot nor is
 * refused; and its refusal answered {@code 503} with {@code Retry-After} and a GraphQL-shaped body.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class AdmissionConfiguration {

    @Bean
    @Order(200)
    WebGraphQlInterceptor admission(ApiProperties properties, MeterRegistry meters) {
        return new Admission(properties.admission(), meters);
    }

    /** Before Spring Boot's error handler (order -1), which would answer 500 with its own page. */
    @Bean
    @Order(-3)
    WebExceptionHandler busyHandler() {
        return (exchange, failure) -> {
            if (!(failure instanceof Admission.Busy busy) || exchange.getResponse().isCommitted()) {
                return Mono.error(failure);
            }
            var response = exchange.getResponse();
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(busy.retryAfterSeconds()));
            response.getHeaders().setCacheControl("no-store");
            byte[] body = ("{\"errors\":[{\"message\":\"" + busy.getMessage() + "\",\"extensions\":{\"classification\":\""
                    + busy.classification() + "\",\"retryAfterSeconds\":" + busy.retryAfterSeconds() + "}}]}")
                    .getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }
}
