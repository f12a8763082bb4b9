package dev.pypianalytics.api.protection;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.RequestStatementsInEngine;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.pypianalytics.support.GraphQlAnswer.classifications;
import static dev.pypianalytics.support.GraphQlAnswer.messages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole request is checked and costed before it runs: a request with one field over its limits, or
 * asking more distinct questions than the statement budget allows, is refused whole and sends nothing to
 * ClickHouse; the same question asked by many fields or for many projects is one statement; impossible
 * dates are refused naming the argument. Statements are counted in the engine's own query log by the
 * request id the test sends.
 */
class RequestBudgetIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse admin;

    RequestStatementsInEngine engine;

    @BeforeEach
    void engine() {
        engine = new RequestStatementsInEngine(admin);
    }

    @Test
    void oneRefusedFieldRefusesTheWholeRequestBeforeAnyStatementRuns() {
        String id = id("refused");
        JsonNode answer = post(id, "{ x: project(name: \"boto3\") { versions(limit: 2147483647) { name } } "
                + "y: project(name: \"boto3\") { totalDownloads } trends { top(limit: 2147483647) { name } } }");
        assertThat(answer.path("data").isNull() || answer.path("data").isMissingNode()).isTrue();
        assertThat(messages(answer)).containsExactlyInAnyOrder(
                "x.versions: limit must be between 1 and 1000, got 2147483647.",
                "trends.top: limit must be between 1 and 100, got 2147483647.");
        assertThat(classifications(answer)).containsOnly("BAD_REQUEST");
        assertThat(engine.sent(id)).isZero();
    }


    @Test
    void aThousandDistinctQuestionsAreRefusedWithAMessageSayingHowToSplitThem() {
        String id = id("flood");
        String totals = IntStream.range(0, 1000).mapToObj(i -> "t" + i + ": totalDownloads(filter: { to: \""
                + LocalDate.of(2026, 3, 31).minusDays(i) + "\" })").collect(Collectors.joining(" "));
        JsonNode answer = post(id, "{ project(name: \"boto3\") { " + totals + " } }");
        assertThat(messages(answer)).singleElement().asString()
                .contains("needs 1000 ClickHouse statements").contains("at most 40").contains("Split it");
        assertThat(engine.sent(id)).isZero();
    }


    @Test
    void aHundredFederatedEntitiesCostAStatementPerQuestionNotPerProject() {
        List<String> names = admin.query(Sql.of("SELECT project FROM pypi_downloads GROUP BY project ORDER BY project LIMIT 100"),
                row -> row.getString("project")).collectList().block();
        String id = id("entities");
        String representations = names.stream().map(name -> "{__typename: \"Project\", name: \"" + name + "\"}")
                .collect(Collectors.joining(", "));
        JsonNode answer = post(id, "{ _entities(representations: [" + representations + "]) { ... on Project { name summary "
                + "ranking { rank } } } }");
        assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();
        assertThat(answer.path("data").path("_entities")).hasSize(100);
        // Their ranks are those of an independent count over the per-project totals.
        JsonNode first = answer.path("data").path("_entities").get(0);
        long rank = admin.queryOne(Sql.of("""
                        SELECT count() + 1 AS rank FROM (SELECT project, sum(count) AS d FROM pypi_downloads GROUP BY project)
                        WHERE d > (SELECT sum(count) FROM pypi_downloads WHERE project = {p:String})""").bind("p", first.path("name").asString()),
                row -> row.getLong("rank")).block();
        assertThat(first.path("ranking").path("rank").asLong()).isEqualTo(rank);
        // Metadata (releases, first/last days) and ranking: three statements for a hundred projects.
        assertThat(engine.sent(id)).isEqualTo(3);
    }


    @Test
    void theSameQuestionAskedManyTimesIsOneStatementEvenWithoutTheCache() {
        String id = id("same");
        String same = IntStream.range(0, 50).mapToObj(i -> "t" + i + ": totalDownloads(filter: { from: \"2026-01-01\" })")
                .collect(Collectors.joining(" "));
        JsonNode answer = web.post().uri("/graphql").header("X-Request-Id", id).header("X-Query-Plan", "true")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "{ project(name: \"boto3\") { " + same + " } }"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.path("data").path("project").path("t49").asLong()).isEqualTo(answer.path("data").path("project").path("t0").asLong());
        assertThat(engine.sent(id)).isEqualTo(1);
    }


    @Test
    void impossibleDatesAreRefusedNamingTheArgument() {
        JsonNode literal = post(id("date"), "{ project(name: \"boto3\") { totalDownloads(filter: { from: \"2026-02-30\" }) } }");
        assertThat(classifications(literal)).containsOnly("BAD_REQUEST");
        assertThat(messages(literal)).singleElement().asString().contains("filter").contains("2026-02-30").contains("not a real calendar day");

        JsonNode variable = web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "query($to: Date) { project(name: \"boto3\") { totalDownloads(filter: { to: $to }) } }",
                        "variables", Map.of("to", "2025-13-01")))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(classifications(variable)).containsOnly("BAD_REQUEST");
        assertThat(messages(variable)).singleElement().asString().contains("'to'").contains("not a real calendar day");

        for (String notADay : List.of("2026-2-3", "+2026-02-03", "2026-02-03T00:00", "")) {
            assertThat(classifications(post(id("date"), "{ project(name: \"boto3\") { totalDownloads(filter: { from: \"" + notADay + "\" }) } }")))
                    .as(notADay).containsOnly("BAD_REQUEST");
        }
    }


    private static String id(String what) {
        return what + "-" + System.nanoTime();
    }

    private JsonNode post(String requestId, String query) {
        return web.post().uri("/graphql").header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query)).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }



}
