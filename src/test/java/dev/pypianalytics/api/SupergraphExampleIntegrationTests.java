package dev.pypianalytics.api;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supergraph example ({@code examples/supergraph}) runs as its README says: the reviews subgraph and the
 * router (Apollo Gateway from npm) start against this gateway, and a query across both subgraphs answers
 * with this gateway's own figures and the reviews subgraph's reviews.
 */
class SupergraphExampleIntegrationTests extends IntegrationTest {

    private static final Path EXAMPLE = Path.of("examples/supergraph");

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void install() throws Exception {
        if (!Files.isDirectory(EXAMPLE.resolve("node_modules/@apollo/gateway"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(EXAMPLE.toFile()).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(npm.exitValue()).as("npm ci: %s", output).isZero();
        }
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aQueryAcrossBothSubgraphsGetsTheGatewaysFiguresAndTheReviews() throws Exception {
        int reviewsPort = freePort();
        int routerPort = freePort();
        start("reviews subgraph at", List.of("node", "reviews.mjs"), Map.of("PORT", String.valueOf(reviewsPort)));
        start("router at", List.of("node", "router.mjs"), Map.of("PORT", String.valueOf(routerPort),
                "PYPI_URL", "http://localhost:" + port + "/graphql", "REVIEWS_URL", "http://localhost:" + reviewsPort + "/"));

        WebTestClient router = WebTestClient.bindToServer().baseUrl("http://localhost:" + routerPort).responseTimeout(Duration.ofSeconds(60)).build();
        JsonNode answer = router.post().uri("/").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ project(name: \"Requests\") { name totalDownloads reviews { stars } } "
                        + "reviewedProjects { name latestVersion } }"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();

        JsonNode own = graphQl.document("{ requests: project(name: \"requests\") { totalDownloads } boto3: project(name: \"boto3\") { latestVersion } "
                + "r: project(name: \"requests\") { latestVersion } }").execute().path("").entity(JsonNode.class).get();
        JsonNode project = answer.path("data").path("project");
        assertThat(project.path("name").asString()).isEqualTo("requests");
        assertThat(project.path("totalDownloads").asLong()).isPositive().isEqualTo(own.path("requests").path("totalDownloads").asLong());
        assertThat(project.path("reviews").findValuesAsString("stars")).containsExactly("5", "4");
        // A root field of the reviews subgraph whose projects the router completes from this gateway (_entities).
        JsonNode reviewed = answer.path("data").path("reviewedProjects");
        assertThat(reviewed.findValuesAsString("name")).containsExactly("boto3", "requests");
        assertThat(reviewed.get(0).path("latestVersion").asString()).isEqualTo(own.path("boto3").path("latestVersion").asString());
        assertThat(reviewed.get(1).path("latestVersion").asString()).isEqualTo(own.path("r").path("latestVersion").asString());
    }

    /** Starts a node script of the example and waits (60 s at most) until it prints {@code ready}. */
    private void start(String ready, List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(EXAMPLE.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        StringBuffer output = new StringBuffer();
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        // Read to the end (a script whose output is not drained would block), telling when it is ready.
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.contains(ready)) {
                        up.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process was stopped
            }
            up.complete(false);
        }, "example-" + command.getLast());
        reader.setDaemon(true);
        reader.start();
        assertThat(up.get(60, TimeUnit.SECONDS)).as("%s did not start: %s", command, output).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
