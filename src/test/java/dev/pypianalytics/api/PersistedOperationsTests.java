package dev.pypianalytics.api;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.support.ApiSettings;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Registered operations, APQ and allow-list mode on a small schema, without a server. */
class PersistedOperationsTests {

    private static final String REGISTERED = "query Hello { hello }\n";
    /** printf 'query Hello { hello }\n' | sha256sum */
    private static final String REGISTERED_SHA256 = "61567b5d795bb0ab269d09cbfb3752e6fbc3003972c0e4ca4447afbdd341ff77";
    private static final String OTHER = "{ calls }";
    /** printf %s '{ calls }' | sha256sum */
    private static final String OTHER_SHA256 = "67a855d2059752dbe89116bc07255980dc0c1558d5dc30abc801150d380e40f3";

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
        return graphQl(allowListOnly, "16MB");
    }

    private GraphQL graphQl(boolean allowListOnly, String maxBytes) throws Exception {
        ApiProperties properties = ApiSettings.with(Map.of("persisted-queries.operations", "file:" + operationsDir + "/*.graphql",
                "persisted-queries.allow-list-only", String.valueOf(allowListOnly), "persisted-queries.max-bytes", maxBytes));
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

    /** The JDK's SHA-256 of the UTF-8 text as lower-case hex: the hash an APQ client sends (not the code under test). */
    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String code(ExecutionResult result) {
        assertThat(result.getErrors()).hasSize(1);
        return String.valueOf(result.getErrors().getFirst().getExtensions().get("code"));
    }

    @Test
    void registeredOperationsRunByTheirHash() throws Exception {
        ExecutionResult result = run(graphQl(false), null, REGISTERED_SHA256);
        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Map<String, Object>>getData()).containsEntry("hello", "world");
    }

    @Test
    void apqLearnsAQueryOnceAndChecksItsHash() throws Exception {
        GraphQL graphQl = graphQl(false);
        String hash = OTHER_SHA256;
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
        assertThat(run(graphQl, null, REGISTERED_SHA256).<Map<String, Object>>getData()).containsEntry("hello", "world");

        assertThat(code(run(graphQl, OTHER, null))).isEqualTo("OPERATION_NOT_REGISTERED");
        String hash = OTHER_SHA256;
        assertThat(code(run(graphQl, OTHER, hash))).isEqualTo("OPERATION_NOT_REGISTERED");
        assertThat(code(run(graphQl, null, hash))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        // The same operation with other whitespace is another document: not registered.
        assertThat(code(run(graphQl, REGISTERED.strip(), null))).isEqualTo("OPERATION_NOT_REGISTERED");
        assertThat(calls.get()).isZero();
    }

    @Test
    void rememberedQueriesAreBoundedByTheMemoryTheyTake() throws Exception {
        // 256 KB for APQ texts; 2,000 distinct queries of ~1 KB each (padded with a comment) are ~4 MB.
        GraphQL graphQl = graphQl(false, "256KB");
        String padding = "#" + "x".repeat(1000) + "\n";
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String query = padding + "query Q" + i + " { hello }";
            String hash = sha256(query);
            hashes.add(hash);
            assertThat(run(graphQl, query, hash).getErrors()).isEmpty();
        }
        long remembered = hashes.stream().filter(hash -> run(graphQl, null, hash).getErrors().isEmpty()).count();
        // At most what fits in 256 KB at ~2 KB a query (UTF-16 text); which ones is the cache's choice (frequency and recency).
        assertThat(remembered).isPositive().isLessThanOrEqualTo(256 * 1024 / 2000);
    }
}
