package dev.pypianalytics.api;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Requests graphql-java rejects before running them (an unknown enum value, a wrong argument type, an
 * unknown field, a query over the depth or cost limit) are the client's mistake like any other: they get the same {@code BAD_REQUEST}
 * classification as the API's own input checks, with graphql-java's message, which names the problem.
 */
@Component
@org.springframework.core.annotation.Order(-10)
class ValidationErrorsAsBadRequest implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> {
            List<GraphQLError> errors = response.getExecutionResult().getErrors();
            if (errors.stream().noneMatch(ValidationErrorsAsBadRequest::rejectedBeforeExecution)) {
                return response;
            }
            List<GraphQLError> mapped = errors.stream().map(error -> rejectedBeforeExecution(error)
                    ? GraphqlErrorBuilder.newError().message(error.getMessage()).locations(error.getLocations()).path(error.getPath())
                            .errorType(org.springframework.graphql.execution.ErrorType.BAD_REQUEST).build()
                    : error).toList();
            return response.transform(builder -> builder.errors(mapped));
        });
    }

    private static boolean rejectedBeforeExecution(GraphQLError error) {
        return error.getErrorType() == ErrorType.ValidationError || error.getErrorType() == ErrorType.InvalidSyntax
                || error.getErrorType() == ErrorType.ExecutionAborted;
    }
}
