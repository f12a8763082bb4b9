package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.DataVersion;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Depth, argument, cost and statement limits, checked for the whole request before any of it runs. */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    @Bean
    @Order(1)
    Instrumentation maxDepth(ApiProperties properties) {
        return new MaxQueryDepthInstrumentation(properties.maxDepth(), depth -> {
            throw new AbortExecutionException("The query is nested " + depth.getDepth() + " levels deep; at most "
                    + properties.maxDepth() + " are allowed.");
        });
    }

    @Bean
    @Order(2)
    Instrumentation requestBudget(ApiProperties properties, DataVersion data) {
        return new RequestBudget(properties, data);
    }
}
