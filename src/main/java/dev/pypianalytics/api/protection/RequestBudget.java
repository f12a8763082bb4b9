package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.DataVersion;
import dev.pypianalytics.planner.DateRange;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.ExecutionResult;
import org.springframework.graphql.execution.ErrorType;

import java.util.List;
import java.util.Map;

/**
 * Checks and costs the whole request before any field runs, and refuses it as a whole: every argument
 * against {@code FieldRules}, the cost against {@code pypi.api.max-complexity} and the ClickHouse
 * statements it would send against {@code pypi.api.max-statements} (see {@link DocumentCost}). A request
 * over a limit never reaches ClickHouse, not even in part.
 */
final class RequestBudget implements Instrumentation {

    /** Most fields a normalized request may expand to (fragments spread many times expand quickly). */
    static final int MAX_FIELDS = 5_000;

    private final ApiProperties limits;
    private final DataVersion data;

    RequestBudget(ApiProperties limits, DataVersion data) {
        this.limits = limits;
        this.data = data;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                         InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        ExecutableNormalizedOperation operation;
        try {
            operation = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(execution.getGraphQLSchema(),
                    execution.getOperationDefinition(), execution.getFragmentsByName(), execution.getCoercedVariables(),
                    ExecutableNormalizedOperationFactory.Options.defaultOptions().maxFieldsCount(MAX_FIELDS)
                            .graphQLContext(execution.getGraphQLContext()).locale(execution.getLocale()));
        } catch (AbortExecutionException tooMany) {
            throw refused("The request expands to more than " + MAX_FIELDS + " fields (fragments included); ask for fewer.");
        }
        DocumentCost cost = DocumentCost.of(operation.getTopLevelFields(), span());
        if (!cost.problems().isEmpty()) {
            throw new AbortExecutionException(cost.problems().stream().map(RequestBudget::badRequest).toList());
        }
        if (cost.statements() > limits.maxStatements()) {
            throw refused("The request needs " + cost.statements() + " ClickHouse statements (one per distinct question; "
                    + "the same question for many projects is one); at most " + limits.maxStatements() + " are allowed. Split it "
                    + "into several requests, or ask fewer distinct questions: a series (downloads with a granularity) answers "
                    + "many date ranges at once.");
        }
        if (cost.cost() > limits.maxComplexity()) {
            throw refused("The request costs " + cost.cost() + " (one per field; a series its buckets × series / 10; "
                    + DocumentCost.STATEMENT_COST + " per ClickHouse statement; lists multiply by their size); at most "
                    + limits.maxComplexity() + " is allowed. Ask for shorter date ranges, coarser granularity or smaller pages, "
                    + "or split the request.");
        }
        return SimpleInstrumentationContext.noOp();
    }

    /** The data's first and last day as last read; read now (for the next request) if never read yet. */
    private DateRange span() {
        var last = data.lastRead();
        if (last.isEmpty()) {
            data.current().subscribe(snapshot -> { }, unreadable -> { });
            return null;
        }
        return last.get().span();
    }

    private static AbortExecutionException refused(String message) {
        return new AbortExecutionException(List.of(badRequest(message)));
    }

    private static GraphQLError badRequest(String message) {
        return GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST).message(message)
                .extensions(Map.of("code", "REQUEST_REFUSED")).build();
    }
}
