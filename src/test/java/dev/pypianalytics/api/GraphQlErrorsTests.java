package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouseException;
import graphql.GraphQLError;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.ResultPath;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.GraphQLObjectType;
import graphql.Scalars;
import graphql.schema.GraphQLFieldDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;

import static org.assertj.core.api.Assertions.assertThat;

class GraphQlErrorsTests {

    private final GraphQlErrors errors = new GraphQlErrors(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            new dev.pypianalytics.config.WarehouseProperties(dev.pypianalytics.config.WarehouseProperties.Mode.OWNED, 16,
                    java.time.Duration.ofSeconds(60), java.util.List.of()));

    @Test
    void invalidInputIsABadRequestWithItsMessage() {
        GraphQLError error = errors.resolveToSingleError(new InvalidInputException("A project name is required."), environment());
        assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
        assertThat(error.getMessage()).isEqualTo("A project name is required.");
    }

    @Test
    void warehouseFailuresAreInternalErrorsThatLeakNothing() {
        ClickHouseException cause = new ClickHouseException(ClickHouseException.Kind.QUERY,
                "ClickHouse rejected a statement: Code: 60. Table pypi.secret_table does not exist. SELECT * FROM secret_table", 60, null);
        GraphQLError error = errors.resolveToSingleError(cause, environment());
        assertThat(error.getErrorType()).isEqualTo(ErrorType.INTERNAL_ERROR);
        assertThat(error.getMessage()).doesNotContain("secret_table").doesNotContain("SELECT").contains("error id");
        assertThat(error.getExtensions()).containsKey("errorId");
    }

    @Test
    void unavailableWarehouseSaysSoWithoutNamingTheServer() {
        ClickHouseException cause = new ClickHouseException(ClickHouseException.Kind.UNAVAILABLE,
                "ClickHouse is unreachable at http://10.1.2.3:8123/pypi: Connection refused", 0, null);
        GraphQLError error = errors.resolveToSingleError(cause, environment());
        // Its own classification, so clients (and the Retry-After interceptor) can tell "retry shortly" from a bug.
        assertThat(error.getErrorType()).isEqualTo(ApiErrorType.UNAVAILABLE);
        assertThat(error.getMessage()).contains("unavailable").doesNotContain("10.1.2.3");
        assertThat(error.getExtensions()).containsEntry("retryAfterSeconds", 5);
    }

    @Test
    void aQueryStoppedByAPerQueryRowLimitIsABadRequestThatSaysHowToNarrowIt() {
        for (int code : new int[] {158, 396}) {
            ClickHouseException cause = new ClickHouseException(ClickHouseException.Kind.QUERY,
                    "ClickHouse rejected a statement: Code: " + code + ". Limit for rows to read exceeded: SELECT secret FROM pypi", code, null);
            GraphQLError error = errors.resolveToSingleError(cause, environment());
            assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
            assertThat(error.getMessage()).contains("narrow the date range").doesNotContain("SELECT").doesNotContain("secret");
        }
    }

    @Test
    void unexpectedExceptionsShowNoClassNames() {
        GraphQLError error = errors.resolveToSingleError(new NullPointerException("boom in Foo.bar"), environment());
        assertThat(error.getMessage()).startsWith("Internal error.").doesNotContain("NullPointerException").doesNotContain("boom");
    }

    private static DataFetchingEnvironment environment() {
        GraphQLFieldDefinition field = GraphQLFieldDefinition.newFieldDefinition().name("project").type(Scalars.GraphQLString).build();
        ExecutionStepInfo step = ExecutionStepInfo.newExecutionStepInfo()
                .type(Scalars.GraphQLString)
                .fieldDefinition(field)
                .fieldContainer(GraphQLObjectType.newObject().name("Query").field(field).build())
                .path(ResultPath.rootPath().segment("project"))
                .build();
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment().executionStepInfo(step)
                .mergedField(graphql.execution.MergedField.newMergedField(graphql.language.Field.newField("project").build()).build())
                .build();
    }
}
