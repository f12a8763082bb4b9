package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.RequestStatementsInEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request has an id: the client's when it sends a plain one, echoed and logged with the outcome. */
@ExtendWith(OutputCaptureExtension.class)
@SuppressWarnings("unchecked")
class RequestLogIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse admin;

    @Autowired
    ClickHouseProperties clickHouseProperties;

    @Test
    void theRequestIdIsEchoedAndLogged(CapturedOutput output) {
        // The in-process CLI tests quieten logging for the whole JVM; this logger must speak here.
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader())
                .setLogLevel(RequestLog.class.getName(), org.springframework.boot.logging.LogLevel.INFO);
        web.post().uri("/graphql").header("X-Request-Id", "trace-42").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "query idCheck { project(name: \"boto3\") { downloads(granularity: YEAR) { date } } }",
                        "operationName", "idCheck"))
                .exchange().expectStatus().isOk().expectHeader().valueEquals("X-Request-Id", "trace-42");
        web.post().uri("/graphql").header("X-Request-Id", "not a token; DROP").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ stats { projects } }"))
                .exchange().expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));

        assertThat(output).contains("graphql request id=trace-42 operation=idCheck outcome=ok errors=0 ms=");
    }

    @Test
    void theRequestIdIsTheQueryIdOfItsClickHouseQueries() {
        org.junit.jupiter.api.Assumptions.assumeFalse(clickHouseProperties.external(), "the query log is the embedded engine's");
        // Asking for the query plan bypasses the result cache, so every planned query reaches ClickHouse.
        List<Map<String, Object>> plan = web.post().uri("/graphql").header("X-Request-Id", "qid-5150").header("X-Query-Plan", "true")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ project(name: \"numpy\") { totalDownloads downloads(granularity: MONTH) { date } } }"))
                .exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody()
                .entrySet().stream().filter(entry -> entry.getKey().equals("extensions"))
                .map(entry -> (List<Map<String, Object>>) ((Map<String, Object>) entry.getValue()).get("queryPlan"))
                .findFirst().orElseThrow();
        assertThat(plan).hasSize(2);

        new RequestStatementsInEngine(admin).awaitLogged("qid-5150");
        List<String> logged = admin.query(Sql.of("""
                        SELECT user, read_rows FROM system.query_log
                        WHERE query_id LIKE 'qid-5150-%' AND type = 'QueryFinish' ORDER BY query_id"""),
                row -> row.getString("user") + ":" + row.getLong("read_rows")).collectList().block();
        // Every query of the request ran as the read-only API user; among them each planned query, with
        // the rows the plan reported (the others: the project's existence check).
        assertThat(logged).isNotEmpty().allMatch(entry -> entry.startsWith(ClickHouseProperties.ApiUser.EMBEDDED_DEFAULT + ":"));
        assertThat(logged).containsAll(plan.stream()
                .map(entry -> ClickHouseProperties.ApiUser.EMBEDDED_DEFAULT + ":" + entry.get("rowsRead")).toList());
    }
}
