package dev.pypianalytics.api;

import dev.pypianalytics.support.Browser;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphiQL in headless Chromium: every asset from the gateway (anything else is refused and recorded),
 * no content-security-policy violation, the registered operations as tabs, and a query run from the
 * page showing the API's answer.
 */
class GraphiQlBrowserIntegrationTests extends IntegrationTest {

    @Test
    void graphiQlRunsAQueryOfflineUnderAStrictPolicy() throws Exception {
        Browser.require();
        web
                .get().uri("/graphiql").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", BrowserPages.POLICY);

        JsonNode report = Browser.run("graphiql.mjs", "http://localhost:" + port,
                Browser.SCREENSHOTS.resolve("graphiql.png").toAbsolutePath().toString());

        assertThat(report.get("foreignRequests").toString()).isEqualTo("[]");
        assertThat(report.get("cspViolations").toString()).isEqualTo("[]");
        assertThat(report.get("tabs").toString()).contains("PackagePage").contains("LandingPage");
        long allTime = graphQl
                .document("{ project(name: \"boto3\") { downloadSummary { allTime } } }").execute()
                .path("project.downloadSummary.allTime").entity(Long.class).get();
        assertThat(report.get("result").asString()).contains("\"allTime\": " + allTime);
        assertThat(Files.size(Browser.SCREENSHOTS.resolve("graphiql.png"))).isPositive();
    }
}
