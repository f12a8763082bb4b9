package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ranking, dependencies (with their downloads) and dependents, against the raw downloads and the metadata table. */
class ProjectRelationsIntegrationTests extends IntegrationTest {

    /** A requirement's name, normalized, written differently from the gateway's (split at the first operator character). */
    static final String NAME = "lower(replaceRegexpAll(splitByRegexp('[ ;<>=!~\\\\[(]', d)[1], '[-_.]+', '-'))";
    static final String LATEST = "(SELECT name, argMax(requires_dist, upload_time) AS deps FROM projects GROUP BY name)";

    @Autowired
    ClickHouse clickHouse;

    List<String> strings(Sql sql) {
        return clickHouse.query(sql, row -> row.getString("v")).collectList().block();
    }

    @Test
    void dependentsMatchExactNamesAndDependenciesFollowTheLatestUpload() {
        String target = strings(Sql.of("SELECT " + NAME + " AS v FROM " + LATEST + " ARRAY JOIN deps AS d GROUP BY v ORDER BY count() DESC, v LIMIT 1"))
                .getFirst();
        List<String> dependents = strings(Sql.of("SELECT l.name AS v FROM " + LATEST + " AS l "
                + "LEFT JOIN (SELECT project, count() AS n FROM pypi GROUP BY project) AS p ON p.project = l.name "
                + "WHERE has(arrayMap(d -> " + NAME + ", deps), {t:String}) ORDER BY ifNull(p.n, 0) DESC, v LIMIT 20").bind("t", target));
        assertThat(dependents).hasSizeGreaterThan(5);

        graphQl.document("query($n: String!) { project(name: $n) { dependents { name downloads } } }").variable("n", target).execute()
                .path("project.dependents[*].name").entityList(String.class).isEqualTo(dependents);

        String dependent = dependents.getFirst();
        List<String> requirements = strings(Sql.of("SELECT " + NAME + " AS v FROM " + LATEST + " ARRAY JOIN deps AS d WHERE name = {n:String}")
                .bind("n", dependent));
        graphQl.document("query($n: String!) { project(name: $n) { dependencies { name requirement optional } } }").variable("n", dependent)
                .execute()
                .path("project.dependencies[*].name").entityList(String.class).isEqualTo(requirements).contains(target)
                .path("project.dependencies[*].requirement").entityList(String.class)
                .satisfies(list -> assertThat(list).allSatisfy(r -> assertThat(r).matches("[a-z0-9].*")))
                .path("project.dependencies[?(@.requirement =~ /.*extra.*/)].optional").entityList(Boolean.class)
                .satisfies(list -> assertThat(list).doesNotContain(false));
    }

    /**
     * The demo data has no dependency without downloads (its requirements name popular projects only): the 0 for
     * one is in {@link ControllerSliceTests}.
     */
    @Test
    void eachDependencysDownloadsAreItsAllTimeCountAndAllOfThemOneStatement() {
        // The project with downloads whose latest upload requires the most projects (ties by name).
        String project = strings(Sql.of("SELECT name AS v FROM " + LATEST + " WHERE name IN (SELECT project FROM pypi) "
                + "ORDER BY length(deps) DESC, name LIMIT 1")).getFirst();
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String required : strings(Sql.of("SELECT " + NAME + " AS v FROM " + LATEST + " ARRAY JOIN deps AS d WHERE name = {n:String}")
                .bind("n", project))) {
            expected.put(required, clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", required),
                    row -> row.getLong("n")).block());
        }
        assertThat(expected).hasSizeGreaterThan(2);

        // With a query plan the totals are read from the engine, not from the result cache.
        String id = "dependency-downloads-" + System.nanoTime();
        GraphQlTester.Response answer = graphQl.mutate().header("X-Request-Id", id).header("X-Query-Plan", "true").build()
                .document("query($n: String!) { project(name: $n) { dependencies { name downloads } } }").variable("n", project).execute();
        List<String> names = answer.path("project.dependencies[*].name").entityList(String.class).get();
        List<Long> downloads = answer.path("project.dependencies[*].downloads").entityList(Long.class).get();
        Map<String, Long> answered = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            answered.put(names.get(i), downloads.get(i));
        }
        assertThat(answered).containsExactlyEntriesOf(expected);

        // The engine's own log: besides the look-up of the requirements (which the cache may answer), one statement.
        clickHouse.execute(Sql.of("SYSTEM FLUSH LOGS")).block();
        long totals = clickHouse.queryOne(Sql.of("""
                SELECT count() AS n FROM system.query_log
                WHERE type = 'QueryStart' AND startsWith(query_id, {p:String}) AND NOT has(tables, currentDatabase() || '.projects')""")
                .bind("p", id + "-"), row -> row.getLong("n")).block();
        assertThat(totals).isEqualTo(1);
    }

    @Test
    void rankingCountsProjectsWithMoreDownloads() {
        List<String> byDownloads = strings(Sql.of("SELECT project AS v FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 3"));
        long projects = WarehouseTruth.count(clickHouse, "SELECT uniqExact(project) AS n FROM pypi");
        String third = byDownloads.get(2);
        long more = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM (SELECT project FROM pypi GROUP BY project "
                + "HAVING count() > (SELECT count() FROM pypi WHERE project = '" + third + "'))");

        graphQl.document("query($n: String!) { project(name: $n) { ranking { rank of percentile } } }").variable("n", third).execute()
                .path("project.ranking.rank").entity(Long.class).isEqualTo(more + 1)
                .path("project.ranking.of").entity(Long.class).isEqualTo(projects)
                .path("project.ranking.percentile").entity(Double.class).satisfies(p ->
                        assertThat(p).isCloseTo(100.0 * (projects - more) / projects, org.assertj.core.data.Offset.offset(1e-9)));
    }
}
