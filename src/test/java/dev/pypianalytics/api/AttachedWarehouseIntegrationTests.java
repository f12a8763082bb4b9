package dev.pypianalytics.api;

import dev.pypianalytics.support.ClickPyLayoutWarehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway attached read-only to a warehouse in ClickPy's layout ({@link ClickPyLayoutWarehouse}: our DDL
 * from ClickPy's documented facts, defects kept), as a user with the settings of ClickPy's public role
 * ({@code readonly = 1}, 1,000 result rows cut silently past that, no {@code system.parts}). Every figure is
 * checked against the same aggregation over the raw {@code pypi.pypi}, run as the engine's administrator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachedWarehouseIntegrationTests {

    static final ClickPyLayoutWarehouse CLICKPY = ClickPyLayoutWarehouse.get();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        registry.add("pypi.warehouse.mode", () -> "ATTACHED");
        registry.add("pypi.clickhouse.url", () -> CLICKPY.url().toString());
        registry.add("pypi.clickhouse.user", CLICKPY::user);
        registry.add("pypi.clickhouse.password", CLICKPY::password);
        registry.add("pypi.clickhouse.database", CLICKPY::database);
        registry.add("pypi.api.rate-limit.requests-per-minute", () -> 1_000_000);
        registry.add("pypi.api.cache.version-check", () -> "0s");
        // The GitHub database appears during the run (withGithubEventsInClickPysLayout...).
        registry.add("pypi.github.availability-check", () -> "0s");
        // Not TestWarehouse.register: nothing of the suite's own warehouse; only its management token.
        registry.add("pypi.management.token-sha256", () -> "ddbaf72603be3028685c4cba67245671cc9328d191d355827b92814ff59e555d");
    }

    @LocalServerPort
    int port;

    WebTestClient web;

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    JsonNode graphQl(String query) {
        return graphQl(query, Map.of());
    }

    JsonNode graphQl(String query, Map<String, Object> variables) {
        byte[] body = web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query, "variables", variables)).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    JsonNode data(String query) {
        JsonNode answer = graphQl(query);
        assertThat(answer.path("errors").isMissingNode() || answer.path("errors").isEmpty())
                .as("errors of %s: %s", query, answer.path("errors")).isTrue();
        return answer.path("data");
    }

    static long admin(String sql) {
        return CLICKPY.longAsAdmin(sql);
    }

    @Test
    @Order(1)
    void capabilitiesSayWhatThisWarehouseCanAnswer() {
        JsonNode capabilities = data("{ capabilities { mode dimensions dailyDimensions ciFilter rawScans freshnessChecks maxResultRows } }")
                .path("capabilities");
        assertThat(capabilities.path("mode").asString()).isEqualTo("ATTACHED");
        assertThat(capabilities.path("ciFilter").asBoolean()).isFalse();
        assertThat(capabilities.path("rawScans").asBoolean()).isFalse();
        assertThat(capabilities.path("freshnessChecks").asBoolean()).isFalse();
        assertThat(capabilities.path("maxResultRows").asLong()).isEqualTo(1000);
        List<String> daily = new ArrayList<>();
        capabilities.path("dailyDimensions").forEach(dimension -> daily.add(dimension.asString()));
        assertThat(daily).containsExactlyInAnyOrder("VERSION", "COUNTRY", "FILE_TYPE", "PYTHON_MINOR", "SYSTEM", "INSTALLER");
    }

    @Test
    void theMirrorsFilterIsAnsweredFromClickPysInstallerAggregates() {
        JsonNode project = data("""
                { project(name: "requests") {
                    excluded: totalDownloads(filter: { mirrors: EXCLUDE })
                    only: totalDownloads(filter: { mirrors: ONLY })
                    monthly: downloads(granularity: MONTH, filter: { mirrors: EXCLUDE }) { downloads }
                } }""").path("project");
        String mirrors = " installer IN ('bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi')";
        assertThat(project.path("only").asLong()).isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'requests' AND" + mirrors))
                .isPositive();
        assertThat(project.path("excluded").asLong())
                .isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'requests' AND NOT" + mirrors)).isPositive();
        List<Long> monthly = new ArrayList<>();
        project.path("monthly").forEach(point -> monthly.add(point.path("downloads").asLong()));
        assertThat(monthly).isEqualTo(CLICKPY.rowsAsAdmin("SELECT toStartOfMonth(date) AS m, count() FROM pypi WHERE project = 'requests' "
                + "AND NOT" + mirrors + " GROUP BY m ORDER BY m").stream().map(row -> Long.parseLong(row.get(1))).toList());
    }

    @Test
    void totalsSeriesAndBreakdownsEqualTheRawTable() {
        JsonNode project = data("""
                { project(name: "requests") {
                    totalDownloads
                    summer: totalDownloads(filter: { from: "%1$s", to: "%2$s", countries: ["DE"] })
                    monthly: downloads(granularity: MONTH) { date downloads }
                    breakdown(by: SYSTEM, limit: 3) { entries { value downloads } other total }
                } }""".formatted(CLICKPY.lastDay().minusDays(99), CLICKPY.lastDay())).path("project");
        assertThat(project.path("totalDownloads").asLong()).isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'requests'")).isPositive();
        assertThat(project.path("summer").asLong()).isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'requests' AND country_code = 'DE' "
                + "AND date BETWEEN '" + CLICKPY.lastDay().minusDays(99) + "' AND '" + CLICKPY.lastDay() + "'")).isPositive();
        Map<String, Long> monthly = new LinkedHashMap<>();
        project.path("monthly").forEach(point -> monthly.put(point.path("date").asString(), point.path("downloads").asLong()));
        Map<String, Long> rawMonthly = new LinkedHashMap<>();
        CLICKPY.rowsAsAdmin("SELECT toStartOfMonth(date) AS m, count() FROM pypi WHERE project = 'requests' GROUP BY m ORDER BY m")
                .forEach(row -> rawMonthly.put(row.get(0), Long.parseLong(row.get(1))));
        assertThat(monthly).isEqualTo(rawMonthly);
        JsonNode breakdown = project.path("breakdown");
        List<List<String>> rawSystems = CLICKPY.rowsAsAdmin("SELECT system, count() AS n FROM pypi WHERE project = 'requests' "
                + "GROUP BY system ORDER BY n DESC, system LIMIT 3");
        for (int i = 0; i < 3; i++) {
            assertThat(breakdown.path("entries").get(i).path("value").asString()).isEqualTo(rawSystems.get(i).get(0));
            assertThat(breakdown.path("entries").get(i).path("downloads").asLong()).isEqualTo(Long.parseLong(rawSystems.get(i).get(1)));
        }
        assertThat(breakdown.path("total").asLong()).isEqualTo(project.path("totalDownloads").asLong());
    }

    /**
     * The layout's own coverage, read off its DDL (not from the planner): besides project, version and date, the
     * dimensions one table of ClickPy's keeps together. A question needing more than one of these sets cannot be
     * answered without a scan of the raw table, which attached mode refuses.
     */
    static final List<Set<String>> CLICKPY_COVERS = List.of(Set.of("country_code"), Set.of("type"), Set.of("python_minor"),
            Set.of("installer"), Set.of("system"), Set.of("country_code", "installer", "type"), Set.of("country_code", "python_minor"),
            Set.of("country_code", "system"));

    static final Map<String, String> COLUMNS = Map.of("VERSION", "version", "COUNTRY", "country_code", "FILE_TYPE", "type",
            "PYTHON_MINOR", "python_minor", "SYSTEM", "system", "INSTALLER", "installer");

    static final Map<String, String> BUCKETS = Map.of("DAY", "date", "WEEK", "toMonday(date)", "MONTH", "toStartOfMonth(date)",
            "QUARTER", "toStartOfQuarter(date)", "YEAR", "toStartOfYear(date)");

    /** The filter input's lists and their columns on the raw table. */
    static final Map<String, String> FILTER_COLUMNS = Map.of("countries", "country_code", "pythonMinors", "python_minor",
            "installers", "installer", "systems", "system", "fileTypes", "type");

    @Test
    void randomQuestionsEqualTheRawTableOrAreRefusedWhenNoTableKeepsTheirDimensions() throws Exception {
        String document = new String(getClass().getResourceAsStream("/graphql-test/projectDownloads.graphql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Map<String, List<String>> values = Map.of("countries", List.of("US", "DE", "CN", "GB", ""), "pythonMinors",
                List.of("3.10", "3.11", "3.12", ""), "installers", List.of("pip", "uv", "bandersnatch", ""), "systems",
                List.of("Linux", "Windows", "Darwin", ""), "fileTypes", List.of("bdist_wheel", "sdist"));
        java.util.Random random = new java.util.Random(20261205);
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            ClickPyLayoutWarehouse.Project project = ClickPyLayoutWarehouse.PROJECTS.get(random.nextInt(ClickPyLayoutWarehouse.PROJECTS.size()));
            Map<String, Object> filter = new LinkedHashMap<>();
            StringBuilder where = new StringBuilder(" WHERE project = '" + project.name() + "'");
            if (random.nextBoolean()) {
                LocalDate from = CLICKPY.lastDay().minusDays(random.nextInt(project.days()));
                LocalDate to = from.plusDays(random.nextInt(200));
                filter.put("from", from.toString());
                filter.put("to", to.toString());
                where.append(" AND date BETWEEN '").append(from).append("' AND '").append(to).append("'");
            }
            Set<String> needed = new java.util.HashSet<>();
            for (String list : List.of("countries", "pythonMinors", "installers", "systems", "fileTypes")) {
                if (random.nextInt(4) == 0) {
                    List<String> accepted = List.of(values.get(list).get(random.nextInt(values.get(list).size())));
                    filter.put(list, accepted);
                    needed.add(FILTER_COLUMNS.get(list));
                    where.append(" AND ").append(FILTER_COLUMNS.get(list)).append(" = '").append(accepted.getFirst()).append("'");
                }
            }
            if (random.nextInt(4) == 0) {
                String prefix = project.versionPrefix().substring(0, project.versionPrefix().indexOf('.'));
                filter.put("versions", List.of(prefix + ".*"));
                where.append(" AND (version = '").append(prefix).append("' OR version LIKE '").append(prefix).append(".%')");
            }
            String granularity = List.copyOf(BUCKETS.keySet()).stream().sorted().toList().get(random.nextInt(BUCKETS.size()));
            String by = COLUMNS.keySet().stream().sorted().toList().get(random.nextInt(COLUMNS.size()));
            needed.add(COLUMNS.get(by));
            needed.remove("version");
            int limit = 1 + random.nextInt(6);
            String description = "case " + i + ": " + project.name() + " " + filter + " " + granularity + " by " + by;

            JsonNode answer = graphQl(document, Map.of("name", project.name(), "filter", filter, "granularity", granularity,
                    "by", by, "limit", limit));
            boolean covered = needed.isEmpty() || CLICKPY_COVERS.stream().anyMatch(set -> set.containsAll(needed));
            if (!covered) {
                refused++;
                assertThat(answer.path("data").path("project").isNull()).as(description).isTrue();
                answer.path("errors").forEach(error -> assertThat(error.path("extensions").path("code").asString())
                        .as(description).isEqualTo("NOT_SUPPORTED_BY_WAREHOUSE"));
                assertThat(answer.path("errors").size()).as(description).isPositive();
                continue;
            }
            answered++;
            assertThat(answer.path("errors").isMissingNode() || answer.path("errors").isEmpty()).as("%s: %s", description,
                    answer.path("errors")).isTrue();
            JsonNode found = answer.path("data").path("project");
            long total = admin("SELECT count() FROM pypi" + where);
            assertThat(found.path("totalDownloads").asLong()).as(description).isEqualTo(total);
            Map<String, Long> series = new LinkedHashMap<>();
            found.path("downloads").forEach(point -> series.put(point.path("date").asString(), point.path("downloads").asLong()));
            Map<String, Long> rawSeries = new LinkedHashMap<>();
            CLICKPY.rowsAsAdmin("SELECT toString(" + BUCKETS.get(granularity) + ") AS d, count() FROM pypi" + where + " GROUP BY d ORDER BY d")
                    .stream().filter(row -> !row.getFirst().isEmpty())
                    .forEach(row -> rawSeries.put(row.get(0), Long.parseLong(row.get(1))));
            assertThat(series).as(description).isEqualTo(rawSeries);
            List<List<String>> top = CLICKPY.rowsAsAdmin("SELECT toString(" + COLUMNS.get(by) + ") AS v, count() AS n FROM pypi" + where
                    + " GROUP BY v ORDER BY n DESC, v LIMIT " + limit).stream().filter(row -> row.size() == 2).toList();
            JsonNode entries = found.path("breakdown").path("entries");
            assertThat(entries.size()).as(description).isEqualTo(top.size());
            long listed = 0;
            for (int e = 0; e < top.size(); e++) {
                assertThat(entries.get(e).path("value").asString()).as(description).isEqualTo(top.get(e).get(0));
                assertThat(entries.get(e).path("downloads").asLong()).as(description).isEqualTo(Long.parseLong(top.get(e).get(1)));
                listed += Long.parseLong(top.get(e).get(1));
            }
            assertThat(found.path("breakdown").path("other").asLong()).as(description).isEqualTo(total - listed);
            assertThat(found.path("breakdown").path("total").asLong()).as(description).isEqualTo(total);
        }
        // Both kinds occur with this seed: the test checks answers, not only refusals.
        assertThat(answered).isGreaterThan(20);
        assertThat(refused).isPositive();
    }

    @Test
    void installerByFileTypeComesFromTheTableThatKeepsBothNotFromClickPysCollapsedOne() {
        // ClickPy's installer × type table sorts without type: after its merges (the fixture ran OPTIMIZE FINAL)
        // each (project, version, day, installer) keeps one type with the sum of all.
        assertThat(admin("SELECT count() FROM (SELECT 1 FROM pypi_downloads_per_day_by_version_by_installer_by_type "
                + "WHERE project = 'numpy' GROUP BY project, version, date, installer HAVING uniqExact(type) > 1)")).isZero();
        JsonNode cells = data("{ project(name: \"numpy\") { installerFileTypes { installer fileType downloads } } }")
                .path("project").path("installerFileTypes");
        Map<String, Long> answered = new LinkedHashMap<>();
        cells.forEach(cell -> answered.put(cell.path("installer").asString() + "|" + cell.path("fileType").asString(),
                cell.path("downloads").asLong()));
        Map<String, Long> raw = new LinkedHashMap<>();
        CLICKPY.rowsAsAdmin("SELECT installer, type, count() FROM pypi WHERE project = 'numpy' GROUP BY installer, type")
                .forEach(row -> raw.put(row.get(0) + "|" + row.get(1), Long.parseLong(row.get(2))));
        assertThat(answered).isEqualTo(raw);
    }

    @Test
    void answersLongerThanTheUsersRowLimitAreReadWholeInPagesNeverCut() {
        // boto3: downloads on 1,100 days and 1,200 versions; the user returns at most 1,000 rows per statement.
        JsonNode project = data("""
                { project(name: "boto3") {
                    latestVersion
                    daily: downloads(granularity: DAY) { date downloads }
                    versions(limit: 5) { name downloads }
                    breakdown(by: VERSION, limit: 3) { entries { value downloads } other total }
                } }""").path("project");
        assertThat(project.path("daily").size()).isEqualTo(admin("SELECT uniqExact(date) FROM pypi WHERE project = 'boto3'")).isGreaterThan(1000);
        long sum = 0;
        for (JsonNode point : project.path("daily")) {
            sum += point.path("downloads").asLong();
        }
        assertThat(sum).isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'boto3'"));
        assertThat(project.path("latestVersion").asString()).isEqualTo("1.0.1199");
        List<List<String>> rawTop = CLICKPY.rowsAsAdmin("SELECT version, count() AS n FROM pypi WHERE project = 'boto3' "
                + "GROUP BY version ORDER BY n DESC, version LIMIT 3");
        JsonNode entries = project.path("breakdown").path("entries");
        for (int i = 0; i < 3; i++) {
            assertThat(entries.get(i).path("value").asString()).isEqualTo(rawTop.get(i).get(0));
            assertThat(entries.get(i).path("downloads").asLong()).isEqualTo(Long.parseLong(rawTop.get(i).get(1)));
        }
        assertThat(project.path("breakdown").path("total").asLong()).isEqualTo(sum);
        assertThat(project.path("versions").size()).isEqualTo(5);
        for (JsonNode version : project.path("versions")) {
            assertThat(version.path("downloads").asLong()).isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'boto3' AND version = '"
                    + version.path("name").asString().replace("'", "") + "'"));
        }
    }

    @Test
    void rankingsAndTheNewestUploadAreAnsweredFromClickPysTables() {
        String from = CLICKPY.rowsAsAdmin("SELECT toString(max(date) - 30) FROM pypi").getFirst().getFirst();
        JsonNode project = data("{ project(name: \"requests\") { latestUploadedVersion all: ranking { rank of } "
                + "recentInGermany: ranking(filter: { from: \"" + from + "\", country: \"DE\" }) { rank of } } }").path("project");
        assertThat(project.path("latestUploadedVersion").asString())
                .isEqualTo(CLICKPY.rowsAsAdmin("SELECT argMax(version, upload_time) FROM projects WHERE name = 'requests'").getFirst().getFirst());
        for (String[] ranking : List.of(new String[] {"all", "1"}, new String[] {"recentInGermany", "date >= '" + from + "' AND country_code = 'DE'"})) {
            String where = ranking[1];
            long mine = admin("SELECT count() FROM pypi WHERE project = 'requests' AND " + where);
            assertThat(project.path(ranking[0]).path("rank").asLong()).as(ranking[0]).isEqualTo(1 + admin("SELECT count() FROM "
                    + "(SELECT project FROM pypi WHERE " + where + " GROUP BY project HAVING count() > " + mine + ")"));
            assertThat(project.path(ranking[0]).path("of").asLong()).as(ranking[0])
                    .isEqualTo(admin("SELECT uniqExact(project) FROM pypi WHERE " + where));
        }
        // A ranking passes every project's total through a subquery: the user's 1,000-row cut applies to the answer only.
        assertThat(CLICKPY.queryAsUser("SELECT n, r, c FROM (SELECT number AS n, rank() OVER (ORDER BY number DESC) AS r, "
                + "count() OVER () AS c FROM numbers(100000)) WHERE n = 0").rows()).containsExactly(List.of("0", "100000", "100000"));
    }

    @Test
    void aCiFilterIsRefusedNamingWhatTheWarehouseLacksWhileTheRestIsAnswered() {
        // Both totals go to the warehouse in one batch: the refused one must not take the other with it.
        // (totalDownloads is non-null, so its error nulls the project that holds it.)
        JsonNode answer = graphQl("""
                { all: project(name: "numpy") { totalDownloads }
                  withoutCi: project(name: "numpy") { totalDownloads(filter: { ci: EXCLUDE }) } }""");
        assertThat(answer.path("data").path("all").path("totalDownloads").asLong())
                .isEqualTo(admin("SELECT count() FROM pypi WHERE project = 'numpy'"));
        assertThat(answer.path("data").path("withoutCi").isNull()).isTrue();
        assertThat(answer.path("errors").size()).isEqualTo(1);
        JsonNode error = answer.path("errors").get(0);
        assertThat(error.path("extensions").path("classification").asString()).isEqualTo("BAD_REQUEST");
        assertThat(error.path("extensions").path("code").asString()).isEqualTo("NOT_SUPPORTED_BY_WAREHOUSE");
        assertThat(error.path("message").asString()).contains("CI").contains("never scanned").doesNotContain("pypi_downloads", "SELECT");
    }

    @Test
    void statsSayWhatTheWarehouseShowsAndNothingItCannotKnow() {
        JsonNode stats = data("{ stats { totalDownloads projects firstDay lastDay lastCompleteDay gaps { date } } }").path("stats");
        assertThat(stats.path("totalDownloads").asLong()).isEqualTo(admin("SELECT count() FROM pypi"));
        assertThat(stats.path("projects").asLong()).isEqualTo(admin("SELECT uniqExact(project) FROM pypi"));
        assertThat(LocalDate.parse(stats.path("firstDay").asString())).isEqualTo(LocalDate.parse(CLICKPY.queryAsAdmin("SELECT min(date) FROM pypi").strip()));
        assertThat(LocalDate.parse(stats.path("lastDay").asString())).isEqualTo(CLICKPY.lastDay());
        assertThat(stats.path("lastCompleteDay").isNull()).isTrue();
        assertThat(stats.path("gaps").isEmpty()).isTrue();
        assertThat(data("{ project(name: \"no-such-project\") { name } }").path("project").isNull()).isTrue();
        assertThat(data("{ project(name: \"tiny-tool\") { name } }").path("project").path("name").asString()).isEqualTo("tiny-tool");
    }

    @Test
    void freshnessSaysTheLastDayAndLagAndNullsWhatOnlyAnOwnedWarehouseKeeps() {
        long before = java.time.Instant.now().getEpochSecond();
        JsonNode freshness = data("{ freshness { lastDay lastCompleteDay lagSeconds stale staleAfterSeconds filesPending filesQuarantined "
                + "loadsInterrupted lastLoadAt followerActive } }").path("freshness");
        long after = java.time.Instant.now().getEpochSecond();
        LocalDate lastDay = CLICKPY.lastDay();
        long end = lastDay.plusDays(1).atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC);
        assertThat(LocalDate.parse(freshness.path("lastDay").asString())).isEqualTo(lastDay);
        assertThat(freshness.path("lagSeconds").asLong()).isBetween(before - end, after - end);
        assertThat(freshness.path("stale").asBoolean()).isFalse();
        for (String none : List.of("lastCompleteDay", "staleAfterSeconds", "filesPending", "filesQuarantined", "loadsInterrupted",
                "lastLoadAt", "followerActive")) {
            assertThat(freshness.path(none).isNull()).as(none).isTrue();
        }
    }

    @Test
    @Order(2)
    void withoutGithubEventsProjectsHaveNoRepositoryAndCapabilitiesSaySo() {
        assertThat(admin("SELECT count() FROM system.databases WHERE name = 'github'")).isZero();
        JsonNode answer = data("{ project(name: \"requests\") { name repository { name stars } } capabilities { githubRepositories } }");
        assertThat(answer.path("project").path("name").asString()).isEqualTo("requests");
        assertThat(answer.path("project").path("repository").isNull()).isTrue();
        assertThat(answer.path("capabilities").path("githubRepositories").asBoolean()).isFalse();
    }

    /**
     * ClickPy's GitHub layout (its github_events with more columns than ours, repo_name_to_id as a
     * ReplacingMergeTree by name filled with any id per name): created and filled here, dropped after.
     */
    @Test
    @Order(3)
    void withGithubEventsInClickPysLayoutARepositoryHasTheFiguresOfItsRawEvents() {
        try {
            CLICKPY.queryAsAdmin("CREATE DATABASE github");
            CLICKPY.queryAsAdmin("""
                    CREATE TABLE github.github_events (
                        file_time DateTime,
                        event_type Enum8('CommitCommentEvent' = 1, 'CreateEvent' = 2, 'DeleteEvent' = 3, 'ForkEvent' = 4, 'GollumEvent' = 5,
                            'IssueCommentEvent' = 6, 'IssuesEvent' = 7, 'MemberEvent' = 8, 'PublicEvent' = 9, 'PullRequestEvent' = 10,
                            'PullRequestReviewCommentEvent' = 11, 'PushEvent' = 12, 'ReleaseEvent' = 13, 'SponsorshipEvent' = 14,
                            'WatchEvent' = 15, 'GistEvent' = 16, 'FollowEvent' = 17, 'DownloadEvent' = 18, 'PullRequestReviewEvent' = 19,
                            'ForkApplyEvent' = 20, 'Event' = 21, 'TeamAddEvent' = 22),
                        actor_login LowCardinality(String), repo_name LowCardinality(String), repo_id LowCardinality(String),
                        created_at DateTime, updated_at DateTime,
                        action Enum8('none' = 0, 'created' = 1, 'added' = 2, 'edited' = 3, 'deleted' = 4, 'opened' = 5, 'closed' = 6,
                            'reopened' = 7, 'assigned' = 8, 'unassigned' = 9, 'labeled' = 10, 'unlabeled' = 11, 'review_requested' = 12,
                            'review_request_removed' = 13, 'synchronize' = 14, 'started' = 15, 'published' = 16, 'update' = 17,
                            'create' = 18, 'fork' = 19, 'merged' = 20),
                        comment_id UInt64, body String, number UInt32, title String, labels Array(LowCardinality(String)),
                        state Enum8('none' = 0, 'open' = 1, 'closed' = 2), merged_at DateTime, push_size UInt32)
                    ENGINE = MergeTree ORDER BY (repo_id, event_type, created_at)""");
            CLICKPY.queryAsAdmin("CREATE TABLE github.repo_name_to_id (repo_name String, repo_id String) ENGINE = ReplacingMergeTree ORDER BY repo_name");
            CLICKPY.queryAsAdmin("CREATE MATERIALIZED VIEW github.repo_name_to_id_mv TO github.repo_name_to_id AS "
                    + "SELECT repo_name, any(repo_id) AS repo_id FROM github.github_events GROUP BY repo_name");
            CLICKPY.queryAsAdmin("""
                    INSERT INTO github.github_events (event_type, actor_login, repo_name, repo_id, created_at, action, number) VALUES
                        ('WatchEvent', 'amy', 'tinyco/tiny-tool', '81000001', '2025-11-03 10:00:00', 'started', 0),
                        ('WatchEvent', 'bob', 'tinyco/tiny-tool', '81000001', '2025-12-04 10:00:00', 'started', 0),
                        ('WatchEvent', 'amy', 'tinyco/tiny-tool', '81000001', '2026-01-05 10:00:00', 'started', 0),
                        ('WatchEvent', 'cyd', 'tinyco/tiny-tool', '81000001', '2026-01-06 10:00:00', 'started', 0),
                        ('ForkEvent', 'dan', 'tinyco/tiny-tool', '81000001', '2026-01-07 10:00:00', 'none', 0),
                        ('IssuesEvent', 'eve', 'tinyco/tiny-tool', '81000001', '2026-01-08 10:00:00', 'opened', 1),
                        ('IssuesEvent', 'bob', 'tinyco/tiny-tool', '81000001', '2026-01-09 10:00:00', 'closed', 1),
                        ('PullRequestEvent', 'fay', 'tinyco/tiny-tool', '81000001', '2026-01-10 10:00:00', 'opened', 2),
                        ('PushEvent', 'fay', 'tinyco/tiny-tool', '81000001', '2026-01-11 10:00:00', 'none', 0),
                        ('PushEvent', 'deploy-bot', 'tinyco/tiny-tool', '81000001', '2026-01-11 11:00:00', 'none', 0),
                        ('WatchEvent', 'gus', 'other/repo', '81000002', '2026-01-12 10:00:00', 'started', 0)""");
            // An old release of tiny-tool whose project URLs name the repository (with .git, as many do).
            CLICKPY.queryAsAdmin("""
                    INSERT INTO pypi.projects (metadata_version, name, version, summary, author, license, home_page, project_urls,
                                               requires_python, upload_time, filename, size, packagetype, python_version)
                    VALUES ('2.1', 'tiny-tool', '0.0.1', 'old', 'Test Author', 'MIT', 'https://example.org/tiny-tool',
                            ['Homepage, https://example.org/tiny-tool', 'Source, https://github.com/tinyco/tiny-tool.git'], '>=3.8',
                            '2020-01-01 00:00:00', 'tiny_tool-0.0.1.tar.gz', 1000, 'sdist', 'source')""");

            JsonNode answer = data("""
                    { project(name: "tiny-tool") { repository { name url stars forks openedIssues pullRequests contributors
                        starsOverTime(granularity: MONTH, from: "2025-12-01") { date added stars } } }
                      capabilities { githubRepositories } }""");
            JsonNode repository = answer.path("project").path("repository");
            String raw = "FROM github.github_events WHERE repo_name = 'tinyco/tiny-tool'";
            assertThat(answer.path("capabilities").path("githubRepositories").asBoolean()).isTrue();
            assertThat(repository.path("name").asString()).isEqualTo("tinyco/tiny-tool");
            assertThat(repository.path("url").asString()).isEqualTo("https://github.com/tinyco/tiny-tool");
            assertThat(repository.path("stars").asLong()).isEqualTo(admin("SELECT uniqExact(actor_login) " + raw
                    + " AND event_type = 'WatchEvent' AND action = 'started'")).isPositive();
            assertThat(repository.path("forks").asLong()).isEqualTo(admin("SELECT uniqExact(actor_login) " + raw + " AND event_type = 'ForkEvent'"))
                    .isPositive();
            assertThat(repository.path("openedIssues").asLong()).isEqualTo(admin("SELECT uniqExact(number) " + raw
                    + " AND event_type = 'IssuesEvent' AND action = 'opened'")).isPositive();
            assertThat(repository.path("pullRequests").asLong()).isEqualTo(admin("SELECT uniqExact(number) " + raw
                    + " AND event_type = 'PullRequestEvent' AND action = 'opened'")).isPositive();
            assertThat(repository.path("contributors").asLong()).isEqualTo(admin("SELECT uniqExact(actor_login) " + raw
                    + " AND (event_type = 'PushEvent' OR action = 'opened') AND actor_login NOT LIKE '%bot'")).isPositive();
            // By each month's end, counting amy once and November's star as the start.
            List<String> points = new ArrayList<>();
            repository.path("starsOverTime").forEach(p -> points.add(p.path("date").asString() + " +" + p.path("added").asLong()
                    + " =" + p.path("stars").asLong()));
            List<String> expected = new ArrayList<>();
            long before = admin("SELECT uniqExact(actor_login) " + raw + " AND event_type = 'WatchEvent' AND created_at < '2025-12-01'");
            for (String month : List.of("2025-12-01", "2026-01-01")) {
                long by = admin("SELECT uniqExact(actor_login) " + raw + " AND event_type = 'WatchEvent' AND created_at < toDate('" + month
                        + "') + INTERVAL 1 MONTH");
                if (by > before) {
                    expected.add(month + " +" + (by - before) + " =" + by);
                }
                before = by;
            }
            assertThat(points).isNotEmpty().isEqualTo(expected);
        } finally {
            CLICKPY.queryAsAdmin("DROP DATABASE IF EXISTS github");
            CLICKPY.queryAsAdmin("DELETE FROM pypi.projects WHERE name = 'tiny-tool' AND version = '0.0.1'");
        }
    }

    @Test
    @Order(100)
    void noStatementOfTheGatewayWroteAnythingOrReadTheRawTable() {
        // Run last: every other test has sent its statements by now.
        CLICKPY.queryAsAdmin("SYSTEM FLUSH LOGS");
        long statements = admin("SELECT count() FROM system.query_log WHERE user = '" + CLICKPY.user() + "' AND type = 'QueryFinish'");
        assertThat(statements).as("statements the gateway sent").isGreaterThan(5);
        assertThat(CLICKPY.rowsAsAdmin("SELECT query_kind, query FROM system.query_log WHERE user = '" + CLICKPY.user()
                + "' AND query_kind NOT IN ('Select', 'Kill') AND type = 'QueryStart'"))
                .as("statements other than reads").isEmpty();
        assertThat(CLICKPY.rowsAsAdmin("SELECT query FROM system.query_log WHERE user = '" + CLICKPY.user()
                + "' AND has(tables, 'pypi.pypi') AND type = 'QueryStart'"))
                .as("statements reading the raw table").isEmpty();
        // And the user was refused nothing (a setting sent to a readonly = 1 user would be: code 164).
        assertThat(CLICKPY.rowsAsAdmin("SELECT exception_code, query FROM system.query_log WHERE user = '" + CLICKPY.user()
                + "' AND exception_code = 164")).isEmpty();
    }
}
