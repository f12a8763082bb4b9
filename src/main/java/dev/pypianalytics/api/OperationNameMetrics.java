package dev.pypianalytics.api;

import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;
import org.springframework.graphql.observation.ExecutionRequestObservationConvention;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request latency by operation: the {@code graphql.request} observation gets the operation's name as a
 * tag, but only for the registered operations ({@code graphql/operations/}: the dashboard's and the
 * documented ones); any other name is "other", and a request without one is "anonymous". A tag value is a
 * series in every metrics backend for as long as the process lives, and the name is whatever the client
 * writes: taken as sent, every invented name would add series without end.
 */
@Configuration(proxyBeanMethods = false)
class OperationNameMetrics {

    static final String TAG = "graphql.operation.name";
    static final String ANONYMOUS = "anonymous";
    static final String OTHER = "other";

    /**
     * Second guard, should the tag ever be computed differently: past this many names, new ones make no
     * meter at all. Independent of the registered operations, because meter filters are set up with the
     * registry, before the beans that read the operations (which themselves register meters).
     */
    static final int MAX_NAMES = 100;

    /** The first operation's name in the document, when the request does not give one. */
    private static final Pattern FIRST_OPERATION = Pattern.compile("^(?:\\s*#[^\\n]*\\n)*\\s*(?:query|mutation|subscription)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    @Bean
    ExecutionRequestObservationConvention operationNameConvention(PersistedOperations operations) {
        Set<String> registered = operationNames(operations);
        return new DefaultExecutionRequestObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(ExecutionRequestObservationContext context) {
                String name = context.getExecutionInput().getOperationName();
                if (name == null || name.isBlank()) {
                    String query = context.getExecutionInput().getQuery();
                    Matcher first = query == null ? null : FIRST_OPERATION.matcher(query);
                    name = first != null && first.find() ? first.group(1) : null;
                }
                String tag = name == null || name.isBlank() ? ANONYMOUS : registered.contains(name) ? name : OTHER;
                return super.getLowCardinalityKeyValues(context).and(TAG, tag);
            }
        };
    }

    @Bean
    static MeterFilter operationNameCardinality() {
        return MeterFilter.maximumAllowableTags("graphql.request", TAG, MAX_NAMES, MeterFilter.deny());
    }

    /** The names of the operations the registered documents define. */
    static Set<String> operationNames(PersistedOperations operations) {
        Set<String> names = new TreeSet<>();
        for (PersistedOperations.Operation operation : operations.registered()) {
            Parser.parse(operation.document()).getDefinitionsOfType(OperationDefinition.class).stream()
                    .map(OperationDefinition::getName)
                    .filter(name -> name != null && !name.isBlank())
                    .forEach(names::add);
        }
        return Set.copyOf(names);
    }
}
