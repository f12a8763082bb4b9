package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Source;
import dev.pypianalytics.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same question twice is answered from the caches (whole answers, statements); a load changes the answer at once. */
class CachingClickHouseIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    MeterRegistry meters;

    @TempDir
    Path dir;

    double statementHits() {
        return meters.get("cache.gets").tags("cache", "statements", "result", "hit").functionCounter().count();
    }

    double answerHits() {
        return meters.get("cache.gets").tags("cache", "responses", "result", "hit").functionCounter().count();
    }

    long total(String project) {
        return graphQl.document("query($n: String!) { project(name: $n) { totalDownloads(filter: { from: \"2017-05-01\", to: \"2017-05-01\" }) } }")
                .variable("n", project).execute().path("project.totalDownloads").entity(Long.class).get();
    }

    @Test
    void aRepeatedQuestionIsACacheHitAndALoadInvalidatesIt() throws Exception {
        String project = clickHouse.query(Sql.of("SELECT project FROM pypi_downloads GROUP BY project ORDER BY sum(count) DESC LIMIT 1"),
                row -> row.getString("project")).blockFirst();
        assertThat(total(project)).isZero();
        // The same question again: the whole answer is reused.
        double answersBefore = answerHits();
        assertThat(total(project)).isZero();
        assertThat(answerHits()).isGreaterThan(answersBefore);
        // Another question that shares a statement with it: that statement's rows are reused.
        double statementsBefore = statementHits();
        assertThat(graphQl.document("query($n: String!) { project(name: $n) { name totalDownloads(filter: { from: \"2017-05-01\", to: \"2017-05-01\" }) } }")
                .variable("n", project).execute().path("project.totalDownloads").entity(Long.class).get()).isZero();
        assertThat(statementHits()).isGreaterThan(statementsBefore);

        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            rows.append("{\"timestamp\": \"2017-05-01 10:00:").append(String.format("%02d", i)).append(" UTC\", \"project\": \"").append(project)
                    .append("\", \"file\": {\"version\": \"1.0\", \"type\": \"sdist\"}}\n");
        }
        Path file = Files.writeString(dir.resolve("cache.ndjson"), rows);
        new Ingest(clickHouse)
                .load(Source.expand(List.of(file.toString()), null).getFirst(), Progress.to(new PrintStream(OutputStream.nullOutputStream()), false));

        assertThat(total(project)).isEqualTo(30);
    }

    @Test
    void identicalQuestionsArrivingTogetherRunOnce() {
        String prefix = "together-" + System.nanoTime();
        // A question nobody asked before (an unseen version filter), sent by eight clients at once.
        String query = "{ project(name: \"boto3\") { totalDownloads(filter: { versions: [\"v" + System.nanoTime() + "\"] }) } }";
        WebClient client = WebClient.create("http://localhost:" + port);
        List<String> answers = Flux.range(0, 8)
                .flatMap(i -> client.post().uri("/graphql").header("X-Request-Id", prefix + i).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("query", query)).retrieve().bodyToMono(String.class), 8)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(answers).hasSize(8).allSatisfy(answer -> assertThat(answer).contains("\"totalDownloads\":0"));
        clickHouse.execute(Sql.of("SYSTEM FLUSH LOGS")).block();
        long statements = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM system.query_log WHERE type = 'QueryStart' "
                + "AND startsWith(query_id, {p:String})").bind("p", prefix), row -> row.getLong("n")).block();
        assertThat(statements).isEqualTo(1);
    }
}
