package dev.pypianalytics.github;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.downloads.WholeResults;
import dev.pypianalytics.planner.Granularity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GitHub repository of a project and its figures, from GitHub events in the layout ClickPy reads
 * ({@code github_events} sorted by repository id, and {@code repo_name_to_id}). A project's repository is the
 * first {@code github.com/owner/name} among the project URLs and home page of its latest upload that names one;
 * it is known when that name appears in the events. Every figure counts distinct things (people, issue and pull
 * request numbers), so the same events loaded twice change nothing.
 */
@Service
public class GithubRepositories {

    /** A repository and its all-time figures over the loaded events. */
    public record Repository(String project, String name, String id, long stars, long forks, long openedIssues,
                             long pullRequests, long contributors) {

        public String url() {
            return "https://github.com/" + name;
        }
    }

    /**
     * Stargazers in one bucket.
     *
     * @param date  the bucket's first day
     * @param added people who starred the repository for the first time in the bucket
     * @param stars people who had starred it by the end of the bucket
     */
    public record StarCount(LocalDate date, long added, long stars) {
    }

    /** GitHub's names of {@code github_events.event_type}/{@code action} that make a person a contributor. */
    private static final String CONTRIBUTION = """
            ((event_type = 'PushEvent')
             OR (event_type IN ('IssuesEvent', 'PullRequestEvent') AND action = 'opened')
             OR (event_type IN ('IssueCommentEvent', 'PullRequestReviewEvent', 'PullRequestReviewCommentEvent') AND action = 'created'))
            AND NOT (endsWith(lower(actor_login), 'bot') OR endsWith(actor_login, '[bot]'))""";

    /** The owner/name of a GitHub URL (project URLs read "Label, https://github.com/owner/name"); '' when none. */
    private static final String REPOSITORY_OF_URL =
            "replaceRegexpOne(regexpExtract(u, '^[^/]*//(www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)', 2), '[.]git$', '')";

    private static final String STARGAZERS = "event_type = 'WatchEvent' AND action = 'started'";

    private static final LocalDate NO_START = LocalDate.of(1970, 1, 1);
    private static final LocalDate NO_END = LocalDate.of(2149, 6, 6);

    private final ClickHouse clickHouse;
    private final WholeResults wholeResults;
    private final WarehouseCatalog catalog;
    private final String database;
    private final Mono<Boolean> available;

    public GithubRepositories(@ApiReads ClickHouse clickHouse, WholeResults wholeResults, WarehouseCatalog catalog,
                              GithubProperties properties) {
        this.clickHouse = clickHouse;
        this.wholeResults = wholeResults;
        this.catalog = catalog;
        // A plain identifier (validated by GithubProperties), quoted as one.
        this.database = "`" + properties.database() + "`";
        Mono<Boolean> check = clickHouse.queryOne(Sql.of("""
                                SELECT count() AS n FROM system.tables
                                WHERE database = {database:String} AND name IN ('github_events', 'repo_name_to_id')""")
                        .bind("database", properties.database()), row -> row.getLong("n"))
                .map(tables -> tables == 2)
                .defaultIfEmpty(false);
        // Tables come and go only with migrations or an operator's DDL: asked again after a while.
        Duration keep = properties.availabilityCheck();
        this.available = keep.isZero() ? check : check.cache(answer -> keep, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** Whether the warehouse holds GitHub events this user may read (both tables of the layout). */
    public Mono<Boolean> available() {
        return available;
    }

    /** The repository of each project that has a known one (absent otherwise): one statement for all of them. */
    public Mono<Map<String, Repository>> of(List<String> projects) {
        return available().flatMap(yes -> !yes || projects.isEmpty() ? Mono.just(Map.<String, Repository>of())
                : catalog.latestRowsOf("projects").flatMap(from -> wholeResults.read(Sql.of("""
                                WITH named AS (
                                    SELECT name AS project, argMax(repo, upload_time) AS repo_name
                                    FROM (
                                        SELECT name, upload_time,
                                               arrayFirst(r -> r != '' AND NOT startsWith(r, 'sponsors/'),
                                                          arrayMap(u -> %s, arrayConcat(project_urls, [home_page]))) AS repo
                                        FROM %s
                                        WHERE name IN {names:Array(String)}
                                    )
                                    WHERE repo != ''
                                    GROUP BY name
                                ),
                                ids AS (
                                    SELECT repo_name, toString(max(toUInt64OrZero(repo_id))) AS repo_id
                                    FROM %s.repo_name_to_id
                                    WHERE repo_name IN (SELECT repo_name FROM named)
                                    GROUP BY repo_name
                                ),
                                figures AS (
                                    SELECT toString(repo_id) AS repo_id,
                                           uniqExactIf(actor_login, %s) AS stars,
                                           uniqExactIf(actor_login, event_type = 'ForkEvent') AS forks,
                                           uniqExactIf(number, event_type = 'IssuesEvent' AND action = 'opened') AS opened_issues,
                                           uniqExactIf(number, event_type = 'PullRequestEvent' AND action = 'opened') AS pull_requests,
                                           uniqExactIf(actor_login, %s) AS contributors
                                    FROM %s.github_events
                                    WHERE repo_id IN (SELECT repo_id FROM ids)
                                    GROUP BY repo_id
                                )
                                SELECT named.project AS project, named.repo_name AS repo_name, ids.repo_id AS repo_id,
                                       toInt64(figures.stars) AS stars, toInt64(figures.forks) AS forks,
                                       toInt64(figures.opened_issues) AS opened_issues, toInt64(figures.pull_requests) AS pull_requests,
                                       toInt64(figures.contributors) AS contributors
                                FROM named
                                INNER JOIN ids ON ids.repo_name = named.repo_name
                                LEFT JOIN figures ON figures.repo_id = ids.repo_id
                                ORDER BY project""".formatted(REPOSITORY_OF_URL, from, database, STARGAZERS, CONTRIBUTION, database))
                                .bind("names", projects),
                        List.of(WholeResults.KeyColumn.text("project")), GithubRepositories::repository))
                .map(found -> {
                    Map<String, Repository> byProject = new LinkedHashMap<>();
                    found.forEach(repository -> byProject.put(repository.project(), repository));
                    return byProject;
                }));
    }

    /**
     * Stargazers over time of each repository (by id), in buckets of {@code granularity} from {@code from} to
     * {@code to} (either may be null: open), only buckets in which someone starred it: one statement for all.
     */
    public Mono<Map<String, List<StarCount>>> starsOverTime(List<String> repositoryIds, Granularity granularity,
                                                            LocalDate from, LocalDate to) {
        if (repositoryIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        LocalDate start = from == null ? NO_START : from;
        LocalDate end = to == null ? NO_END : to;
        record Bucket(String repositoryId, LocalDate date, long added) {
        }
        // A person counts once, in the bucket of their first star (GH Archive has no "unstarred" event); those
        // who starred before the range are the first bucket's starting count.
        return wholeResults.read(Sql.of("""
                                SELECT repo_id, if(first_day < toDate({start:String}), toDate('1970-01-01'), toDate(%s)) AS bucket,
                                       toInt64(count()) AS added
                                FROM (
                                    SELECT toString(repo_id) AS repo_id, actor_login, toDate(min(created_at), 'UTC') AS first_day
                                    FROM %s.github_events
                                    WHERE repo_id IN {ids:Array(String)} AND %s
                                    GROUP BY repo_id, actor_login
                                )
                                WHERE first_day <= toDate({end:String})
                                GROUP BY repo_id, bucket
                                ORDER BY repo_id, bucket""".formatted(granularity.bucket("first_day"), database, STARGAZERS))
                                .bind("ids", repositoryIds).bind("start", start.toString()).bind("end", end.toString()),
                        List.of(WholeResults.KeyColumn.text("repo_id"), WholeResults.KeyColumn.date("bucket")),
                        row -> new Bucket(row.getString("repo_id"), row.getDate("bucket"), row.getLong("added")))
                .map(buckets -> {
                    Map<String, List<StarCount>> series = new LinkedHashMap<>();
                    Map<String, Long> running = new LinkedHashMap<>();
                    for (Bucket bucket : buckets) {
                        long stars = running.merge(bucket.repositoryId(), bucket.added(), Long::sum);
                        if (bucket.date().isAfter(NO_START)) {
                            series.computeIfAbsent(bucket.repositoryId(), id -> new ArrayList<>())
                                    .add(new StarCount(bucket.date(), bucket.added(), stars));
                        }
                    }
                    return series;
                });
    }

    private static Repository repository(ResultRow row) {
        return new Repository(row.getString("project"), row.getString("repo_name"), row.getString("repo_id"),
                row.getLong("stars"), row.getLong("forks"), row.getLong("opened_issues"), row.getLong("pull_requests"),
                row.getLong("contributors"));
    }
}
