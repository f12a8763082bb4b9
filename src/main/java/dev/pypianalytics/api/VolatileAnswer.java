package dev.pypianalytics.api;

import graphql.GraphQLContext;
import org.springframework.graphql.ExecutionGraphQlResponse;

/**
 * An answer that holds a field whose value changes with time, not with the data (how far behind the data is,
 * files waiting in a followed folder): it is kept by no cache of the gateway's ({@link ResponseCache}) and
 * gets no data-version {@code ETag} on {@code GET}, so every request reads it afresh.
 */
final class VolatileAnswer {

    private static final String KEY = VolatileAnswer.class.getName();

    private VolatileAnswer() {
    }

    /** Marks the answer of the request that {@code context} belongs to. */
    static void mark(GraphQLContext context) {
        context.put(KEY, Boolean.TRUE);
    }

    /** Whether a field of this answer marked it. */
    static boolean marked(ExecutionGraphQlResponse response) {
        return Boolean.TRUE.equals(response.getExecutionInput().getGraphQLContext().get(KEY));
    }
}
