package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.config.WarehouseProperties;
import org.springframework.graphql.ResponseError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * When the warehouse cannot be reached (the embedded engine restarting, a server down), clients get a
 * clean GraphQL error classified {@code UNAVAILABLE} with {@code Retry-After}, never a 500 page: field
 * errors are classified by {@link GraphQlErrors}, this adds the header to their answers; and anything
 * outside GraphQL execution that still fails on the warehouse (caches, HTTP caching, routes) is answered
 * {@code 503} with a GraphQL-shaped body by a last-resort exception handler.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class WarehouseUnavailable {

    /** What clients are told to wait before trying again (an engine restart takes a few seconds). */
    static final int RETRY_AFTER_SECONDS = 5;

    static final String MESSAGE = "The download warehouse is unavailable right now; try again shortly.";

    private static final Logger log = LoggerFactory.getLogger(WarehouseUnavailable.class);

    /** Answers with an UNAVAILABLE error say when to try again. */
    @Bean
    @Order(-90)
    WebGraphQlInterceptor retryAfterOnUnavailable() {
        return (request, chain) -> chain.next(request).doOnNext(response -> {
            // The longest wait any error asks for (a restart: seconds; a used-up quota: its own).
            response.getErrors().stream().filter(WarehouseUnavailable::retryLater)
                    .mapToLong(WarehouseUnavailable::retryAfterSeconds).max()
                    .ifPresent(seconds -> response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
        });
    }

    /** Before Spring Boot's error handler (order -1), which would answer 500 with its own page. */
    @Bean
    @Order(-2)
    WebExceptionHandler warehouseUnavailableHandler(WarehouseProperties properties) {
        return (exchange, failure) -> {
            if (!(failure instanceof ClickHouseException warehouse) || exchange.getResponse().isCommitted()) {
                return Mono.error(failure);
            }
            log.warn("{} {} failed on the warehouse: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    warehouse.getMessage());
            var response = exchange.getResponse();
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            long retryAfter = GraphQlErrors.QUOTA.contains(warehouse.serverErrorCode())
                    ? Math.max(1, properties.quotaRetryAfter().toSeconds()) : RETRY_AFTER_SECONDS;
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
            response.getHeaders().setCacheControl("no-store");
            byte[] body = ("{\"errors\":[{\"message\":\"" + MESSAGE + "\",\"extensions\":{\"classification\":\"UNAVAILABLE\","
                    + "\"retryAfterSeconds\":" + retryAfter + "}}]}").getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }

    private static boolean retryLater(ResponseError error) {
        return error.getErrorType() == ApiErrorType.UNAVAILABLE || error.getErrorType() == ApiErrorType.QUOTA_EXCEEDED
                || error.getExtensions() != null && ("UNAVAILABLE".equals(error.getExtensions().get("classification"))
                        || "QUOTA_EXCEEDED".equals(error.getExtensions().get("classification")));
    }

    private static long retryAfterSeconds(ResponseError error) {
        return error.getExtensions() != null && error.getExtensions().get("retryAfterSeconds") instanceof Number seconds
                ? seconds.longValue() : RETRY_AFTER_SECONDS;
    }
}
