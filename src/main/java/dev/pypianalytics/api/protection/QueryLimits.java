package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import graphql.execution.AbortExecutionException;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Depth and cost limits, checked before a query runs (graphql-java instrumentation). */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    @Bean
    Instrumentation maxDepth(ApiProperties properties) {
        return new MaxQueryDepthInstrumentation(properties.maxDepth(), depth -> {
            throw new AbortExecutionException("The query is nested " + depth.getDepth() + " levels deep; at most "
                    + properties.maxDepth() + " are allowed.");
        });
    }

    @Bean
    Instrumentation maxComplexity(ApiProperties properties) {
        return new MaxQueryComplexityInstrumentation(properties.maxComplexity(), new QueryCost(), complexity -> {
            throw new AbortExecutionException("The query costs " + complexity.getComplexity() + " (one per field; a series "
                    + "its buckets × series / 10; lists multiply by their size); at most " + properties.maxComplexity()
                    + " is allowed. Ask for shorter date ranges, coarser granularity or smaller pages.");
        });
    }
}
