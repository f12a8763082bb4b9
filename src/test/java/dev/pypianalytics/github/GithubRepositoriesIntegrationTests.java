package dev.pypianalytics.github;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.Source;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.RequestStatementsInEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static dev.pypianalytics.support.GraphQlAnswer.classifications;
import static dev.pypianalytics.support.GraphQlAnswer.messages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written GH Archive events (src/test/resources/gharchive) loaded through the loader the CLI uses, then
 * {@code Project.repository} compared with counts over the loaded raw events, selected by repository name (not
 * through the name-to-id table or the project metadata the gateway goes through).
 */
class GithubRepositoriesIntegrationTests extends IntegrationTest {

    static final String FIXTURE = "/gharchive/2026-03-31-23.json";
    static final String REPOSITORY_FIELDS = "name url stars forks openedIssues pullRequests contributors";

    private static boolean loaded;

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    static Path dir;

    @BeforeEach
    void loadFixtureOnce() throws IOException {
        synchronized (GithubRepositoriesIntegrationTests.class) {
            if (loaded) {
                return;
            }
            // The fixture gzip-compressed, as GH Archive serves its files.
            Path gz = dir.resolve("2026-03-31-23.json.gz");
            try (InputStream in = getClass().getResourceAsStream(FIXTURE); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                in.transferTo(out);
            }
            GithubArchive archive = new GithubArchive(clickHouse, "github");
            GithubArchive.Outcome outcome = archive.load(Source.expand(List.of(gz.toString()), Source.Format.NDJSON).getFirst());
            assertThat(outcome.events()).isEqualTo(fixtureLines());
            loaded = true;
        }
    }

    @Test
    void aProjectsRepositoryHasTheFiguresOfItsRawEvents() {
        for (String project : List.of("boto3", "urllib3")) {
            JsonNode repository = post("{ project(name: \"" + project + "\") { repository { " + REPOSITORY_FIELDS + " } } }")
                    .path("data").path("project").path("repository");
            String name = project + "/" + project;
            assertThat(repository.path("name").asString()).isEqualTo(name);
            assertThat(repository.path("url").asString()).isEqualTo("https://github.com/" + name);
            assertThat(repository.path("stars").asLong()).as(name + " stars").isEqualTo(truth(
                    "SELECT uniqExact(actor_login) AS n FROM github.github_events WHERE repo_name = {r:String} AND event_type = 'WatchEvent' AND action = 'started'", name));
            assertThat(repository.path("forks").asLong()).as(name + " forks").isEqualTo(truth(
                    "SELECT uniqExact(actor_login) AS n FROM github.github_events WHERE repo_name = {r:String} AND event_type = 'ForkEvent'", name));
            assertThat(repository.path("openedIssues").asLong()).as(name + " issues").isEqualTo(truth(
                    "SELECT uniqExact(number) AS n FROM github.github_events WHERE repo_name = {r:String} AND event_type = 'IssuesEvent' AND action = 'opened'", name));
            assertThat(repository.path("pullRequests").asLong()).as(name + " pull requests").isEqualTo(truth(
                    "SELECT uniqExact(number) AS n FROM github.github_events WHERE repo_name = {r:String} AND event_type = 'PullRequestEvent' AND action = 'opened'", name));
            assertThat(repository.path("contributors").asLong()).as(name + " contributors").isEqualTo(truth("""
                    SELECT uniqExact(actor_login) AS n FROM (
                        SELECT actor_login FROM github.github_events WHERE repo_name = {r:String} AND event_type = 'PushEvent'
                        UNION ALL
                        SELECT actor_login FROM github.github_events WHERE repo_name = {r:String}
                            AND toString(event_type) IN ('IssuesEvent', 'PullRequestEvent') AND toString(action) = 'opened'
                        UNION ALL
                        SELECT actor_login FROM github.github_events WHERE repo_name = {r:String} AND toString(action) = 'created'
                            AND toString(event_type) IN ('IssueCommentEvent', 'PullRequestReviewEvent', 'PullRequestReviewCommentEvent'))
                    WHERE NOT match(actor_login, '(?i)bot$') AND NOT endsWith(actor_login, '[bot]')""", name));
        }
        // The fixture has something of each kind for boto3 (a count of 0 would not tell a broken figure).
        JsonNode boto3 = post("{ project(name: \"boto3\") { repository { " + REPOSITORY_FIELDS + " } } }")
                .path("data").path("project").path("repository");
        for (String figure : List.of("stars", "forks", "openedIssues", "pullRequests", "contributors")) {
            assertThat(boto3.path(figure).asLong()).as(figure).isPositive();
        }
    }

    @Test
    void starsOverTimeCountEachPersonOnceUpToEachBucketsEnd() {
        LocalDate from = LocalDate.of(2026, 2, 1);
        LocalDate to = LocalDate.of(2026, 3, 31);
        JsonNode points = post("{ project(name: \"boto3\") { repository { starsOverTime(granularity: MONTH, from: \"" + from
                + "\", to: \"" + to + "\") { date added stars } } } }").path("data").path("project").path("repository").path("starsOverTime");
        // People who had starred by a day's end, over the raw events; a month is listed when that number grew in it.
        List<String> expected = new ArrayList<>();
        long before = starredBy(from.minusDays(1));
        for (LocalDate month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            LocalDate end = month.plusMonths(1).minusDays(1);
            long by = starredBy(end.isAfter(to) ? to : end);
            if (by > before) {
                expected.add(month + " +" + (by - before) + " =" + by);
            }
            before = by;
        }
        List<String> actual = new ArrayList<>();
        points.forEach(point -> actual.add(point.path("date").asString() + " +" + point.path("added").asLong() + " =" + point.path("stars").asLong()));
        assertThat(actual).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void aProjectWhoseRepositoryHasNoEventsHasNoRepository() {
        // packaging's metadata names github.com/packaging/packaging, which no loaded event mentions.
        assertThat(truth("SELECT count() AS n FROM github.github_events WHERE repo_name = {r:String}", "packaging/packaging")).isZero();
        JsonNode answer = post("{ project(name: \"packaging\") { name repository { name stars } } capabilities { githubRepositories } }");
        assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();
        assertThat(answer.path("data").path("project").path("name").asString()).isEqualTo("packaging");
        assertThat(answer.path("data").path("project").path("repository").isNull()).isTrue();
        assertThat(answer.path("data").path("capabilities").path("githubRepositories").asBoolean()).isTrue();
    }

    @Test
    void manyProjectsRepositoriesAndStarsAreAFewStatements() {
        List<String> names = clickHouse.query(Sql.of("SELECT project FROM pypi_downloads GROUP BY project ORDER BY project LIMIT 30"),
                row -> row.getString("project")).collectList().block();
        StringBuilder query = new StringBuilder("{ ");
        for (int i = 0; i < names.size(); i++) {
            query.append("p").append(i).append(": project(name: \"").append(names.get(i)).append("\") { repository { name stars ")
                    .append("starsOverTime(granularity: DAY, from: \"2026-01-").append(10 + i % 2).append("\") { date stars } } } ");
        }
        query.append("b: project(name: \"boto3\") { repository { stars starsOverTime(granularity: DAY, from: \"2026-01-10\") { stars } } } }");
        String id = "github-batch-" + System.nanoTime();
        JsonNode answer = post(id, query.toString());
        assertThat(answer.path("errors").isMissingNode()).as(answer.toString()).isTrue();
        assertThat(answer.path("data").path("b").path("repository").path("starsOverTime")).isNotEmpty();
        // One statement for the repositories, one per distinct starsOverTime argument set (two), perhaps the availability check.
        assertThat(new RequestStatementsInEngine(clickHouse).sent(id)).isLessThanOrEqualTo(4);
    }

    @Test
    void theNextAnswerAfterALoadCountsTheNewEvents() throws IOException {
        String query = "{ project(name: \"urllib3\") { repository { stars } } }";
        long before = post(query).path("data").path("project").path("repository").path("stars").asLong();
        Path hour = dir.resolve("2026-03-31-22.json");
        Files.writeString(hour, ("{\"id\":\"1\",\"type\":\"WatchEvent\",\"actor\":{\"login\":\"it-new-%d\"},"
                + "\"repo\":{\"id\":51000002,\"name\":\"urllib3/urllib3\"},\"payload\":{\"action\":\"started\"},"
                + "\"created_at\":\"2026-03-31T22:00:00Z\"}\n").formatted(System.nanoTime()));
        new GithubArchive(clickHouse, "github")
                .load(Source.expand(List.of(hour.toString()), Source.Format.NDJSON).getFirst());

        long after = post(query).path("data").path("project").path("repository").path("stars").asLong();
        assertThat(after).isEqualTo(before + 1).isEqualTo(truth("SELECT uniqExact(actor_login) AS n FROM github.github_events "
                + "WHERE repo_name = {r:String} AND event_type = 'WatchEvent' AND action = 'started'", "urllib3/urllib3"));
    }

    @Test
    void aRangeEndingBeforeItStartsIsABadRequest() {
        JsonNode answer = post("{ project(name: \"boto3\") { repository { starsOverTime(from: \"2026-03-01\", to: \"2026-02-01\") { stars } } } }");
        assertThat(classifications(answer)).containsOnly("BAD_REQUEST");
        assertThat(messages(answer)).singleElement().asString().contains("from").contains("2026-03-01");
    }

    private long starredBy(LocalDate day) {
        return count(Sql.of("SELECT uniqExact(actor_login) AS n FROM github.github_events WHERE repo_name = 'boto3/boto3' "
                + "AND toString(event_type) = 'WatchEvent' AND toString(action) = 'started' AND created_at < toDateTime({d:String}, 'UTC') + INTERVAL 1 DAY")
                .bind("d", day.toString()));
    }

    private long truth(String sql, String repository) {
        return count(Sql.of(sql).bind("r", repository));
    }

    private long count(Sql sql) {
        return clickHouse.queryOne(sql, row -> row.getLong("n")).block();
    }

    private long fixtureLines() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).count();
        }
    }

    private JsonNode post(String query) {
        return post("github-" + System.nanoTime(), query);
    }

    private JsonNode post(String requestId, String query) {
        return web.post().uri("/graphql").header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query)).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
