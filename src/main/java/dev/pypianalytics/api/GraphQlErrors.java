package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.planner.Catalog;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one place exceptions become GraphQL errors. Invalid input → {@code BAD_REQUEST} with its message;
 * anything else → {@code INTERNAL_ERROR} with an error id that is also in the log next to the cause.
 * Clients never see SQL, server names or stack traces.
 */
@Component
class GraphQlErrors extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);

    /**
     * ClickHouse's per-query limits: TOO_MANY_ROWS, TOO_MANY_ROWS_OR_BYTES (also a result the server may have
     * cut silently), TOO_MANY_BYTES: the client can narrow the question.
     */
    private static final Set<Integer> OVER_LIMIT = Set.of(158, 396, 307);

    /**
     * ClickHouse's QUOTA_EXCEEDED and TOO_MANY_SIMULTANEOUS_QUERIES: the user's allowance is used up for now
     * (a shared instance's quotas); the same question may succeed later.
     */
    static final Set<Integer> QUOTA = Set.of(201, 202);

    private final MeterRegistry meters;
    private final long quotaRetryAfterSeconds;

    GraphQlErrors(MeterRegistry meters, WarehouseProperties warehouse) {
        this.meters = meters;
        this.quotaRetryAfterSeconds = Math.max(1, warehouse.quotaRetryAfter().toSeconds());
        setThreadLocalContextAware(false);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof ClickHouseException ch) {
            meters.counter("pypi.clickhouse.errors", "kind", ch.kind().name(), "code", String.valueOf(ch.serverErrorCode())).increment();
        }
        if (ex instanceof NotFoundException notFound) {
            return GraphqlErrorBuilder.newError(env).errorType(ErrorType.NOT_FOUND).message(notFound.getMessage()).build();
        }
        if (ex instanceof InvalidInputException invalid) {
            return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(invalid.getMessage()).build();
        }
        if (ex instanceof Catalog.NotCovered notCovered) {
            // An attached warehouse without the aggregate this question needs: says what it lacks.
            return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(notCovered.getMessage())
                    .extensions(Map.of("code", "NOT_SUPPORTED_BY_WAREHOUSE")).build();
        }
        if (ex instanceof ClickHouseException ch && OVER_LIMIT.contains(ch.serverErrorCode())) {
            // ClickHouse stopped a question that reads or returns more than allowed per query: the client can narrow it.
            return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST)
                    .message("This question reads or returns more rows than the warehouse allows per query; narrow the date "
                            + "range, the filters or the granularity.").build();
        }
        if (ex instanceof ClickHouseException ch && QUOTA.contains(ch.serverErrorCode())) {
            log.warn("Warehouse quota or concurrency limit at {}: {}", env.getExecutionStepInfo().getPath(), ex.getMessage());
            return GraphqlErrorBuilder.newError(env).errorType(ApiErrorType.QUOTA_EXCEEDED)
                    .message("The warehouse's allowance for this gateway is used up for now; try again in "
                            + quotaRetryAfterSeconds + " seconds.")
                    .extensions(Map.of("retryAfterSeconds", quotaRetryAfterSeconds)).build();
        }
        if (ex instanceof ClickHouseException ch && ch.kind() == ClickHouseException.Kind.UNAVAILABLE) {
            // Expected while the engine restarts: not an internal error, and the client may simply retry.
            log.warn("Warehouse unavailable at {}: {}", env.getExecutionStepInfo().getPath(), ex.getMessage());
            return GraphqlErrorBuilder.newError(env).errorType(ApiErrorType.UNAVAILABLE)
                    .message(WarehouseUnavailable.MESSAGE)
                    .extensions(Map.of("retryAfterSeconds", WarehouseUnavailable.RETRY_AFTER_SECONDS)).build();
        }
        if (ex instanceof ClickHouseException ch && ch.kind() == ClickHouseException.Kind.CANCELLED) {
            // The request timed out or its client went away; whoever still reads gets the request's own error.
            return GraphqlErrorBuilder.newError(env).errorType(ApiErrorType.TIMEOUT)
                    .message("The request was stopped before this field was answered.").build();
        }
        String errorId = UUID.randomUUID().toString();
        String message;
        if (ex instanceof ClickHouseException ch && ch.kind() == ClickHouseException.Kind.TIMEOUT) {
            message = "The query took too long; narrow the date range or filters.";
        } else {
            message = "Internal error.";
        }
        log.error("GraphQL error {} at {}: {}", errorId, env.getExecutionStepInfo().getPath(), ex.getMessage(), ex);
        return GraphqlErrorBuilder.newError(env)
                .errorType(ErrorType.INTERNAL_ERROR)
                .message(message + " (error id " + errorId + ")")
                .extensions(Map.of("errorId", errorId))
                .build();
    }
}
