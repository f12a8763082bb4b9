package dev.pypianalytics.api;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as an Apollo Federation 2 subgraph: its SDL ({@code _service}, and the file served at
 * {@code GET /graphql/schema} and committed as the snapshot) composes with another subgraph that extends
 * {@code Project}, using Apollo's composition and The Guild's composer from the npm registry, and
 * {@code _entities} resolves projects by name as {@code project(name:)} does.
 */
class FederationIntegrationTests extends IntegrationTest {

    private static final Path HARNESS = Path.of("src/test/federation");

    @TempDir
    Path dir;

    @BeforeAll
    static void installComposer() throws Exception {
        if (!Files.isDirectory(HARNESS.resolve("node_modules/@theguild/federation-composition"))
                || !Files.isDirectory(HARNESS.resolve("node_modules/@apollo/composition"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), HARNESS);
        }
    }

    private String sdl() {
        return graphQl.document("{ _service { sdl } }").execute().path("_service.sdl").entity(String.class).get();
    }

    @Test
    void theSubgraphSdlDeclaresTheEntityAndTheSharedType() {
        String sdl = sdl();
        assertThat(sdl).containsPattern("schema .*@link\\(.*url ?: ?\"https://specs.apollo.dev/federation/v2.9\"")
                .containsPattern("type Project @key\\(fields ?: ?\"name\"")
                .contains("type PageInfo @shareable");
    }

    @Test
    void composesWithASubgraphThatExtendsProject() throws Exception {
        Path gateway = Files.writeString(dir.resolve("gateway.graphqls"), sdl());
        JsonNode result = compose("gateway=" + gateway.toAbsolutePath(), "reviews=" + HARNESS.resolve("reviews.graphqls").toAbsolutePath());
        assertThat(result.get("errors").toString()).isEqualTo("[]");
        assertThat(result.get("ok").asBoolean()).isTrue();
        String supergraph = result.get("supergraph").asString();
        String project = supergraph.substring(supergraph.indexOf("type Project"));
        project = project.substring(0, project.indexOf("\n}"));
        // One entity, keyed by name in both subgraphs, with the fields of both.
        assertThat(project).contains("@join__type(graph: GATEWAY, key: \"name\")").contains("@join__type(graph: REVIEWS, key: \"name\")")
                .contains("totalDownloads(").contains("reviews: [Review!]!").contains("downloadSummary(");
    }

    @Test
    void theServedSchemaFileAndTheSnapshotComposeAsTheyAreWithApolloAndTheGuild() throws Exception {
        String served = web.get().uri("/graphql/schema").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(served).as("the served file is the subgraph SDL").isEqualTo(sdl());
        Path file = Files.writeString(dir.resolve("served.graphqls"), served);
        Path reviews = HARNESS.resolve("reviews.graphqls").toAbsolutePath();
        for (Path gateway : List.of(file.toAbsolutePath(), SchemaContractIntegrationTests.SNAPSHOT.toAbsolutePath())) {
            for (boolean apollo : List.of(true, false)) {
                List<String> arguments = new ArrayList<>(apollo ? List.of("--apollo") : List.of());
                arguments.addAll(List.of("gateway=" + gateway, "reviews=" + reviews));
                JsonNode result = compose(arguments.toArray(String[]::new));
                assertThat(result.get("errors").toString()).as("%s composed by %s", gateway.getFileName(), apollo ? "Apollo" : "The Guild").isEqualTo("[]");
                // What the gateway enforces reaches the router: demand-control weights and list sizes, cache hints.
                assertThat(result.get("supergraph").asString()).contains("@join__type(graph: REVIEWS, key: \"name\")")
                        .contains("@cost(weight: 10)").contains("slicingArguments: [\"limit\"]").contains("@cacheControl(maxAge: 60");
            }
        }
    }

    @Test
    void aConflictingSubgraphDoesNotCompose() throws Exception {
        // The harness can fail: another subgraph whose Project key field is an Int.
        Path gateway = Files.writeString(dir.resolve("gateway.graphqls"), sdl());
        Path conflicting = Files.writeString(dir.resolve("conflict.graphqls"), """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
                type Project @key(fields: "name") { name: Int! stars: Int }
                type Query { starred: [Project!]! }
                """);
        JsonNode result = compose("gateway=" + gateway.toAbsolutePath(), "conflict=" + conflicting.toAbsolutePath());
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("errors").toString()).contains("Project.name");
    }

    @Test
    void badRepresentationsAreBadRequestsNotInternalErrors() {
        // A router that sends a representation this subgraph cannot resolve gets a BAD_REQUEST naming it (before: a
        // missing or invalid name and an unknown __typename were INTERNAL_ERROR, a number was looked up as a name).
        String query = "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { name } } }";
        Map<Map<String, Object>, String> bad = new java.util.LinkedHashMap<>();
        bad.put(Map.of("__typename", "Project"), "a Project is keyed by name, a string");
        bad.put(Map.of("__typename", "Project", "name", 42), "a Project is keyed by name, a string");
        bad.put(Map.of("__typename", "Project", "name", "not a name!"), "is not a valid project name");
        bad.put(Map.of("__typename", "Nope", "name", "boto3"), "resolves Project entities only, not Nope");
        bad.put(Map.of("name", "boto3"), "__typename is missing");
        bad.forEach((representation, expected) -> {
            JsonNode answer = web.post().uri("/graphql").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", query, "variables", Map.of("representations", List.of(Map.of("__typename", "Project", "name", "boto3"),
                            representation))))
                    .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(answer.path("errors")).as(answer.toString()).hasSize(1);
            JsonNode error = answer.path("errors").get(0);
            assertThat(error.path("extensions").path("classification").asString()).as(answer.toString()).isEqualTo("BAD_REQUEST");
            assertThat(error.path("message").asString()).contains("representations[1]: ").contains(expected);
        });
    }

    @Test
    void aRoutersEntityFetchMayBeCachedAsLongAsAGetAnswerAndNothingElseSentByPost() {
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { name totalDownloads } } }";
        Map<String, Object> boto3 = Map.of("__typename", "Project", "name", "boto3");
        assertThat(cacheControl(entities, Map.of("r", List.of(boto3)))).isEqualTo("max-age=60, public");
        // Not with an error in it (an unknown project), nor with any other field, nor with the plan asked for.
        assertThat(cacheControl(entities, Map.of("r", List.of(boto3, Map.of("__typename", "Project", "name", "no-such-project-here")))))
                .isEqualTo("no-store");
        assertThat(cacheControl("query($r: [_Any!]!) { _entities(representations: $r) { __typename } project(name: \"boto3\") { name } }",
                Map.of("r", List.of(boto3)))).isEqualTo("no-store");
        assertThat(cacheControl("{ project(name: \"boto3\") { name } }", Map.of())).isEqualTo("no-store");
    }

    private String cacheControl(String query, Map<String, Object> variables) {
        return web.post().uri("/graphql").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query, "variables", variables))
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseHeaders().getCacheControl();
    }

    @Test
    void entitiesResolveProjectsByName() {
        String query = """
                query($representations: [_Any!]!) {
                  _entities(representations: $representations) { ... on Project { name totalDownloads latestVersion } }
                }""";
        List<Map<String, Object>> entities = graphQl.document(query)
                .variable("representations", List.of(Map.of("__typename", "Project", "name", "boto3"),
                        Map.of("__typename", "Project", "name", "No_Such-Project.anywhere"),
                        Map.of("__typename", "Project", "name", "Requests")))
                .execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getErrorType()).isEqualTo(org.springframework.graphql.execution.ErrorType.NOT_FOUND);
                    assertThat(error.getMessage()).isEqualTo("No project named No_Such-Project.anywhere.");
                    assertThat(error.getParsedPath()).containsExactly("_entities", 1);
                }))
                .path("_entities").entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
                .get();
        Map<String, Object> boto3 = graphQl.document("{ project(name: \"boto3\") { name totalDownloads latestVersion } }")
                .execute().path("project").entity(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }).get();
        Map<String, Object> requests = graphQl.document("{ project(name: \"requests\") { name totalDownloads latestVersion } }")
                .execute().path("project").entity(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(entities).hasSize(3);
        assertThat(entities.get(0)).isEqualTo(boto3);
        assertThat(entities.get(1)).isNull();
        // Names are normalized as everywhere else (PEP 503).
        assertThat(entities.get(2)).isEqualTo(requests);
    }

    private JsonNode compose(String... services) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", HARNESS.resolve("compose.mjs").toAbsolutePath().toString()));
        command.addAll(List.of(services));
        return JsonMapper.builder().build().readTree(run(command, HARNESS));
    }

    private static String run(List<String> command, Path directory) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s failed: %s", command, err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
