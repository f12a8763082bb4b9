package dev.pypianalytics.api.protection;

import dev.pypianalytics.api.ApiErrorType;
import dev.pypianalytics.clickhouse.RequestStatements;
import dev.pypianalytics.config.ApiProperties;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A request that is not answered within {@code pypi.api.request-timeout} gets a {@code TIMEOUT} error
 * instead of holding the connection, and its ClickHouse statements still running are stopped (the request's
 * {@link RequestStatements} are cancelled), so a request cut off here does not keep loading the engine.
 */
@Component
@org.springframework.core.annotation.Order(-50)
class RequestTimeout implements WebGraphQlInterceptor {

    private final ApiProperties properties;

    RequestTimeout(ApiProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return Mono.deferContextual(context -> chain.next(request)
                .timeout(properties.requestTimeout())
                .doOnError(TimeoutException.class, timeout -> RequestStatements.of(context).ifPresent(RequestStatements::cancel)))
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
                        request.toExecutionInput(), ExecutionResult.newExecutionResult()
                        .addError(GraphqlErrorBuilder.newError().errorType(ApiErrorType.TIMEOUT)
                                .message("The request took longer than " + readable(properties.requestTimeout())
                                        + " and was stopped; narrow the date range, the filters or the number of fields.").build())
                        .build()))));
    }

    /** 30 s, 1.5 s, 200 ms: the limit as configured, not cut to whole seconds (200 ms is not "0 s"). */
    static String readable(Duration limit) {
        if (limit.toMillis() < 1000) {
            return limit.toMillis() + " ms";
        }
        return BigDecimal.valueOf(limit.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
