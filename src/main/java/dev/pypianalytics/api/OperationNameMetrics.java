package dev.pypianalytics.api;

import io.micrometer.common.KeyValues;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;
import org.springframework.graphql.observation.ExecutionRequestObservationConvention;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request latency by operation: the {@code graphql.request} observation gets the operation's name as a
 * tag ("anonymous" without one; names that are not short identifiers are grouped as "other", so clients
 * cannot blow up the number of series).
 */
@Configuration(proxyBeanMethods = false)
class OperationNameMetrics {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** The first operation's name in the document, when the request does not give one. */
    private static final Pattern FIRST_OPERATION = Pattern.compile("^(?:\\s*#[^\\n]*\\n)*\\s*(?:query|mutation|subscription)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    @Bean
    ExecutionRequestObservationConvention operationNameConvention() {
        return new DefaultExecutionRequestObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(ExecutionRequestObservationContext context) {
                String name = context.getExecutionInput().getOperationName();
                if (name == null || name.isBlank()) {
                    Matcher first = FIRST_OPERATION.matcher(context.getExecutionInput().getQuery());
                    name = first.find() ? first.group(1) : null;
                }
                String tag = name == null || name.isBlank() ? "anonymous" : NAME.matcher(name).matches() ? name : "other";
                return super.getLowCardinalityKeyValues(context).and("graphql.operation.name", tag);
            }
        };
    }
}
