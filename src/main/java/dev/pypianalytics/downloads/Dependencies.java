package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Dependencies and dependents from {@code requires_dist} of each project's latest upload, matched by
 * exact PEP 503-normalized name ("requests" is not a dependency of a project that needs "requests-oauthlib";
 * ClickPy matched prefixes). (A project's rank is {@link Downloads#ranking}.)
 */
@Service
public class Dependencies {

    /** One requirement of a project. */
    public record Requirement(String name, String requirement, boolean optional) {
    }

    /** A project that depends on another, with its all-time downloads. */
    public record Dependent(String project, long downloads) {
    }

    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final Pattern EXTRA = Pattern.compile(";.*\\bextra\\s*==");

    // The requirement's name, normalized as PEP 503 does, in SQL (for dependents across all projects).
    private static final String NORMALIZED_NAME = "lower(replaceRegexpAll(extract(d, '^\\\\s*([A-Za-z0-9][A-Za-z0-9._-]*)'), '[-_.]+', '-'))";

    private final ClickHouse clickHouse;
    private final WarehouseCatalog catalog;

    public Dependencies(@ApiReads ClickHouse clickHouse, WarehouseCatalog catalog) {
        this.clickHouse = clickHouse;
        this.catalog = catalog;
    }

    /** Per project, the requirements of its latest upload, in their order (one query for all of them). */
    public Mono<Map<String, List<Requirement>>> of(List<String> projects) {
        return catalog.latestRowsOf("projects").flatMap(from -> clickHouse.query(Sql.of(
                                "SELECT name, argMax(requires_dist, upload_time) AS requirements FROM " + from
                                + " WHERE name IN {names:Array(String)} GROUP BY name").bind("names", projects),
                        row -> Map.entry(row.getString("name"), requirements(row.get("requirements"))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<Requirement> requirements(Object values) {
        List<?> all = values instanceof List<?> list ? list : List.of();
        return all.stream().map(value -> parse(String.valueOf(value))).filter(requirement -> requirement.name() != null).toList();
    }

    static Requirement parse(String requirement) {
        Matcher name = NAME.matcher(requirement);
        return new Requirement(name.find() ? Pep503.normalize(name.group(1)) : null, requirement.strip(), EXTRA.matcher(requirement).find());
    }

    /**
     * Per project, the projects whose latest upload requires it, most downloaded first, at most
     * {@code limit} each (one query for all of them).
     */
    public Mono<Map<String, List<Dependent>>> dependents(List<String> projects, int limit) {
        return catalog.latestRowsOf("projects").flatMap(from -> clickHouse.query(Sql.of("""
                        SELECT d.target AS target, d.name AS project, ifNull(t.downloads, 0) AS downloads
                        FROM (
                            SELECT name, arrayJoin(arrayDistinct(arrayFilter(n -> n IN {names:Array(String)},
                                       arrayMap(d -> %s, argMax(requires_dist, upload_time))))) AS target
                            FROM %s GROUP BY name
                        ) AS d
                        LEFT JOIN (SELECT project, sum(count) AS downloads FROM pypi_downloads GROUP BY project) AS t ON t.project = d.name
                        ORDER BY target, downloads DESC, project LIMIT {limit:UInt64} BY target""".formatted(NORMALIZED_NAME, from))
                        .bind("names", projects).bind("limit", (long) limit),
                row -> Map.entry(row.getString("target"), new Dependent(row.getString("project"), row.getLong("downloads"))))
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue))
                .map(byTarget -> byTarget.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }
}
