package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dependencies and dependents from {@code requires_dist} of each project's latest upload, matched by
 * exact PEP 503-normalized name ("requests" is not a dependency of a project that needs "requests-oauthlib";
 * ClickPy matched prefixes), and the project's rank by all-time downloads.
 */
@Service
public class Dependencies {

    /** One requirement of a project. */
    public record Requirement(String name, String requirement, boolean optional) {
    }

    /** A project that depends on another, with its all-time downloads. */
    public record Dependent(String project, long downloads) {
    }

    /** Position by all-time downloads among projects with downloads. */
    public record Ranking(long rank, long of) {
    }

    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final Pattern EXTRA = Pattern.compile(";.*\\bextra\\s*==");

    // The requirement's name, normalized as PEP 503 does, in SQL (for dependents across all projects).
    private static final String NORMALIZED_NAME = "lower(replaceRegexpAll(extract(d, '^\\\\s*([A-Za-z0-9][A-Za-z0-9._-]*)'), '[-_.]+', '-'))";

    private final ClickHouse clickHouse;

    public Dependencies(@ApiReads ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** The requirements of the project's latest upload, in their order. */
    public Mono<List<Requirement>> of(String project) {
        return clickHouse.query(Sql.of("SELECT arrayJoin(argMax(requires_dist, upload_time)) AS requirement FROM projects FINAL "
                        + "WHERE name = :name").bind("name", project), row -> parse(row.getString("requirement")))
                .filter(requirement -> requirement.name() != null)
                .collectList();
    }

    static Requirement parse(String requirement) {
        Matcher name = NAME.matcher(requirement);
        return new Requirement(name.find() ? normalize(name.group(1)) : null, requirement.strip(), EXTRA.matcher(requirement).find());
    }

    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** Projects whose latest upload requires this one, most downloaded first. */
    public Mono<List<Dependent>> dependents(String project, int limit) {
        return clickHouse.query(Sql.of("""
                        SELECT d.name AS project, ifNull(t.downloads, 0) AS downloads
                        FROM (
                            SELECT name FROM projects FINAL GROUP BY name
                            HAVING arrayExists(d -> %s = :name, argMax(requires_dist, upload_time))
                        ) AS d
                        LEFT JOIN (SELECT project, sum(count) AS downloads FROM pypi_downloads GROUP BY project) AS t ON t.project = d.name
                        ORDER BY downloads DESC, project LIMIT :limit""".formatted(NORMALIZED_NAME))
                        .bind("name", project).bind("limit", (long) limit),
                row -> new Dependent(row.getString("project"), row.getLong("downloads"))).collectList();
    }

    /** Rank 1 is the most downloaded project; {@code of} counts projects with downloads. */
    public Mono<Ranking> ranking(String project) {
        return clickHouse.queryOne(Sql.of("""
                        WITH totals AS (SELECT project, sum(count) AS downloads FROM pypi_downloads GROUP BY project HAVING downloads != 0)
                        SELECT (SELECT count() FROM totals WHERE downloads > (SELECT sum(downloads) FROM totals WHERE project = :name)) + 1 AS rank,
                               (SELECT count() FROM totals) AS of,
                               (SELECT count() FROM totals WHERE project = :name) AS known""").bind("name", project),
                row -> row.getLong("known") == 0 ? null : new Ranking(row.getLong("rank"), row.getLong("of")));
    }
}
