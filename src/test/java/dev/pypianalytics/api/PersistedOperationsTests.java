package dev.pypianalytics.api;

import dev.pypianalytics.config.ApiProperties;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Registered operations, APQ and allow-list mode on a small schema, without a server. */
class PersistedOperationsTests {

    private static final String REGISTERED = "query Hello { hello }\n";
    private static final String OTHER = "{ calls }";

    @TempDir
    Path operationsDir;

    final AtomicInteger calls = new AtomicInteger();
    GraphQLSchema schema;

    @BeforeEach
    void schema() throws Exception {
        Files.writeString(operationsDir.resolve("Hello.graphql"), REGISTERED);
        schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("type Query { hello: String calls: Int }"),
                RuntimeWiring.newRuntimeWiring().type("Query", type -> type
                        .dataFetcher("hello", env -> "world")
                        .dataFetcher("calls", env -> calls.incrementAndGet())).build());
    }

    private GraphQL graphQl(boolean allowListOnly) throws Exception {
        ApiProperties properties = new ApiProperties(15, 5000, 1, 1, Duration.ofSeconds(1),
                new ApiProperties.RateLimit(false, 1, "X-API-Key"), new ApiProperties.Cache(false, 1, Duration.ZERO, 10),
                new ApiProperties.PersistedQueries("file:" + operationsDir + "/*.graphql", allowListOnly, 100),
                new ApiProperties.HttpCache(Duration.ZERO), true,
                new ApiProperties.RequestBody(org.springframework.util.unit.DataSize.ofKilobytes(100), Duration.ofSeconds(10)));
        PersistedOperations operations = new PersistedOperations(properties, new PathMatchingResourcePatternResolver(), new SimpleMeterRegistry());
        return GraphQL.newGraphQL(schema).preparsedDocumentProvider(operations).build();
    }

    private static ExecutionResult run(GraphQL graphQl, String query, String hash) {
        ExecutionInput.Builder input = ExecutionInput.newExecutionInput(query == null ? PersistedQuerySupport.PERSISTED_QUERY_MARKER : query);
        if (hash != null) {
            input.extensions(Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)));
        }
        return graphQl.execute(input.build());
    }

    private static String code(ExecutionResult result) {
        assertThat(result.getErrors()).hasSize(1);
        return String.valueOf(result.getErrors().getFirst().getExtensions().get("code"));
    }

    @Test
    void registeredOperationsRunByTheirHash() throws Exception {
        ExecutionResult result = run(graphQl(false), null, PersistedOperations.sha256(REGISTERED));
        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Map<String, Object>>getData()).containsEntry("hello", "world");
    }

    @Test
    void apqLearnsAQueryOnceAndChecksItsHash() throws Exception {
        GraphQL graphQl = graphQl(false);
        String hash = PersistedOperations.sha256(OTHER);
        assertThat(code(run(graphQl, null, hash))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        assertThat(calls.get()).isZero();
        assertThat(run(graphQl, OTHER, hash).<Map<String, Object>>getData()).containsEntry("calls", 1);
        assertThat(run(graphQl, null, hash).<Map<String, Object>>getData()).containsEntry("calls", 2);
        assertThat(run(graphQl, null, hash.toUpperCase()).<Map<String, Object>>getData()).containsEntry("calls", 3);

        assertThat(code(run(graphQl, "{ hello }", hash))).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
        assertThat(code(run(graphQl, null, "abc"))).isEqualTo("BAD_REQUEST");
        // Without APQ a query runs as usual, and a repeated document is not re-parsed into something else.
        assertThat(run(graphQl, OTHER, null).<Map<String, Object>>getData()).containsEntry("calls", 4);
        assertThat(run(graphQl, "{ nope }", null).getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getMessage()).contains("nope"));
        assertThat(run(graphQl, "{ nope }", null).getErrors()).hasSize(1);
    }

    @Test
    void allowListModeRunsRegisteredOperationsOnly() throws Exception {
        GraphQL graphQl = graphQl(true);
        assertThat(run(graphQl, REGISTERED, null).<Map<String, Object>>getData()).containsEntry("hello", "world");
        assertThat(run(graphQl, null, PersistedOperations.sha256(REGISTERED)).<Map<String, Object>>getData()).containsEntry("hello", "world");

        assertThat(code(run(graphQl, OTHER, null))).isEqualTo("OPERATION_NOT_REGISTERED");
        String hash = PersistedOperations.sha256(OTHER);
        assertThat(code(run(graphQl, OTHER, hash))).isEqualTo("OPERATION_NOT_REGISTERED");
        assertThat(code(run(graphQl, null, hash))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        // The same operation with other whitespace is another document: not registered.
        assertThat(code(run(graphQl, REGISTERED.strip(), null))).isEqualTo("OPERATION_NOT_REGISTERED");
        assertThat(calls.get()).isZero();
    }
}
