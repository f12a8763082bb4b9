package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.Shape;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The choices where ClickPy counts differently, each against the same figure written here in SQL over the raw
 * tables ({@code pypi}, {@code projects}): "last month" as 30 days or a calendar month, the latest version by
 * upload time, and the ranking (share from the top, ClickPy's badge tiers, within dates, a country, without CI).
 */
class SemanticsChoicesIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    WarehouseCatalog warehouseCatalog;

    List<String> strings(Sql sql) {
        return clickHouse.query(sql.withTimeout(Duration.ofMinutes(1)), row -> row.getString("v")).collectList().block();
    }

    long count(Sql sql) {
        Long n = clickHouse.queryOne(sql.withTimeout(Duration.ofMinutes(1)), row -> row.getLong("n")).block();
        return n == null ? 0 : n;
    }

    /** Projects across the popularity curve: the top three, and ones ranked about 20th, 100th and 400th. */
    List<String> projects() {
        List<String> ranked = strings(Sql.of("SELECT project AS v FROM pypi GROUP BY project ORDER BY count() DESC, project"));
        return List.of(ranked.get(0), ranked.get(1), ranked.get(2), ranked.get(19), ranked.get(99), ranked.get(Math.min(399, ranked.size() - 1)));
    }

    @Test
    void lastMonthIsThirtyDaysByDefaultAndACalendarMonthBackOnRequest() {
        LocalDate asOf = LocalDate.parse(strings(Sql.of("SELECT toString(max(date)) AS v FROM pypi")).getFirst());
        // ClickPy's window, written as ClickPy writes it: after the same day one month earlier, up to the day.
        LocalDate calendarFrom = LocalDate.parse(strings(Sql.of("SELECT toString(toDate({d:Date}) - toIntervalMonth(1) + 1) AS v")
                .bind("d", asOf)).getFirst());
        String summary = "{ asOf lastDay lastWeek lastMonth allTime lastMonthFrom }";
        boolean windowsDiffer = false;
        for (String project : projects()) {
            for (String ci : List.of("ALL", "EXCLUDE")) {
                String where = "project = {p:String}" + (ci.equals("EXCLUDE") ? " AND ci != 'true'" : "");
                long day = count(Sql.of("SELECT count() AS n FROM pypi WHERE " + where + " AND date = {d:Date}").bind("p", project).bind("d", asOf));
                long week = count(Sql.of("SELECT count() AS n FROM pypi WHERE " + where + " AND date > toDate({d:Date}) - 7 AND date <= {d:Date}")
                        .bind("p", project).bind("d", asOf));
                long thirty = count(Sql.of("SELECT count() AS n FROM pypi WHERE " + where + " AND date > toDate({d:Date}) - 30 AND date <= {d:Date}")
                        .bind("p", project).bind("d", asOf));
                long calendar = count(Sql.of("SELECT count() AS n FROM pypi WHERE " + where
                        + " AND date > toDate({d:Date}) - toIntervalMonth(1) AND date <= {d:Date}").bind("p", project).bind("d", asOf));
                long allTime = count(Sql.of("SELECT count() AS n FROM pypi WHERE " + where).bind("p", project));
                windowsDiffer |= thirty != calendar;

                var response = graphQl.document("query($n: String!, $f: DownloadFilter) { project(name: $n) { "
                                + "byDefault: downloadSummary(filter: $f) " + summary
                                + " thirty: downloadSummary(filter: $f, month: LAST_30_DAYS) " + summary
                                + " calendar: downloadSummary(filter: $f, month: CALENDAR_MONTH) " + summary + " } }")
                        .variable("n", project).variable("f", Map.of("ci", ci)).execute();
                String description = project + " ci " + ci;
                for (String alias : List.of("byDefault", "thirty", "calendar")) {
                    String at = "project." + alias + ".";
                    long month = alias.equals("calendar") ? calendar : thirty;
                    LocalDate from = alias.equals("calendar") ? calendarFrom : asOf.minusDays(29);
                    response.path(at + "asOf").entity(LocalDate.class).isEqualTo(asOf)
                            .path(at + "lastDay").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(day))
                            .path(at + "lastWeek").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(week))
                            .path(at + "lastMonth").entity(Long.class).satisfies(n -> assertThat(n).as(description + " " + alias).isEqualTo(month))
                            .path(at + "allTime").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(allTime))
                            .path(at + "lastMonthFrom").entity(LocalDate.class).isEqualTo(from);
                }
            }
        }
        // The demo data's last day makes the two windows differ (else this test could not tell them apart).
        assertThat(calendarFrom).isNotEqualTo(asOf.minusDays(29));
        assertThat(windowsDiffer).isTrue();
    }

    @Test
    void latestUploadedVersionIsTheVersionOfTheNewestFileAndLatestVersionTheGreatest() {
        // Projects with downloads, plain numeric versions only (so the greatest by PEP 440 is the greatest tuple of
        // numbers, written here in SQL), whose newest upload time belongs to one version only (no tie to break):
        // half where the newest upload is not the greatest version, half where it is.
        String candidates = """
                SELECT name, argMax(version, upload_time) AS uploaded,
                       argMax(version, arrayMap(x -> toUInt64(x), splitByChar('.', version))) AS greatest
                FROM (SELECT name, version, upload_time, max(upload_time) OVER (PARTITION BY name) AS newest FROM projects FINAL)
                WHERE name IN (SELECT project FROM pypi GROUP BY project)
                GROUP BY name
                HAVING uniqExactIf(version, upload_time = newest) = 1 AND countIf(NOT match(version, '^[0-9]+([.][0-9]+)*$')) = 0""";
        Map<String, String[]> expected = new LinkedHashMap<>();
        for (String differ : List.of("!=", "=")) {
            clickHouse.query(Sql.of("SELECT name, uploaded, greatest FROM (" + candidates + ") WHERE uploaded " + differ
                                    + " greatest ORDER BY cityHash64(name) LIMIT 15").withTimeout(Duration.ofMinutes(1)),
                            row -> new String[] {row.getString("name"), row.getString("uploaded"), row.getString("greatest")})
                    .toStream().forEach(row -> expected.put(row[0], new String[] {row[1], row[2]}));
        }
        long differing = expected.values().stream().filter(versions -> !versions[0].equals(versions[1])).count();
        assertThat(differing).isGreaterThan(3);
        assertThat(expected.size() - differing).isGreaterThan(3);

        List<String> names = List.copyOf(expected.keySet());
        StringBuilder document = new StringBuilder("{ ");
        for (int i = 0; i < names.size(); i++) {
            document.append("p").append(i).append(": project(name: \"").append(names.get(i)).append("\") { latestUploadedVersion latestVersion } ");
        }
        var response = graphQl.document(document.append("}").toString()).execute();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            response.path("p" + i + ".latestUploadedVersion").entity(String.class)
                    .satisfies(version -> assertThat(version).as(name).isEqualTo(expected.get(name)[0]))
                    .path("p" + i + ".latestVersion").entity(String.class)
                    .satisfies(version -> assertThat(version).as(name).isEqualTo(expected.get(name)[1]));
        }
    }

    /** The ranking filters tried, each with the same conditions written in SQL over pypi. */
    record Case(Map<String, Object> filter, String where) {
    }

    @Test
    void rankingWithinDatesACountryAndWithoutCiEqualsTheRawTable() {
        LocalDate last = LocalDate.parse(strings(Sql.of("SELECT toString(max(date)) AS v FROM pypi")).getFirst());
        LocalDate monthStart = last.withDayOfMonth(1).minusMonths(2);
        LocalDate monthEnd = monthStart.plusMonths(1).minusDays(1);
        LocalDate weekFrom = last.minusDays(6);
        List<Case> cases = List.of(
                new Case(Map.of(), "1"),
                new Case(Map.of("from", monthStart.toString(), "to", monthEnd.toString()),
                        "date BETWEEN '" + monthStart + "' AND '" + monthEnd + "'"),
                new Case(Map.of("from", weekFrom.toString()), "date >= '" + weekFrom + "'"),
                new Case(Map.of("country", "DE"), "country_code = 'DE'"),
                new Case(Map.of("from", monthStart.toString(), "to", last.toString(), "country", "US", "ci", "EXCLUDE"),
                        "date BETWEEN '" + monthStart + "' AND '" + last + "' AND country_code = 'US' AND ci != 'true'"),
                new Case(Map.of("ci", "ONLY"), "ci = 'true'"));
        List<String> projects = new ArrayList<>(projects());
        // A project tied with another on all-time downloads, when the data has one: ties share the better rank.
        projects.addAll(strings(Sql.of("SELECT any(project) AS v FROM (SELECT project, count() AS n FROM pypi GROUP BY project) "
                + "GROUP BY n HAVING count() > 1 ORDER BY n DESC LIMIT 1")));
        int tiers = 0;
        for (Case c : cases) {
            long of = count(Sql.of("SELECT uniqExact(project) AS n FROM pypi WHERE " + c.where()));
            assertThat(of).as(c.filter().toString()).isGreaterThan(10);
            for (String project : projects) {
                long mine = count(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String} AND " + c.where()).bind("p", project));
                long more = count(Sql.of("SELECT count() AS n FROM (SELECT project FROM pypi WHERE " + c.where()
                        + " GROUP BY project HAVING count() > {mine:Int64})").bind("mine", mine));
                String description = project + " " + c.filter();
                var response = graphQl.document("query($n: String!, $f: RankingFilter) { project(name: $n) { "
                                + "ranking(filter: $f) { rank of percentile topPercent tier } } }")
                        .variable("n", project).variable("f", c.filter()).execute();
                if (mine == 0) {
                    response.path("project.ranking").valueIsNull();
                    continue;
                }
                long rank = more + 1;
                double top = 100.0 * rank / of;
                // ClickPy's badges: gold up to 1 %, silver up to 10 %, bronze up to 25 % from the top.
                String tier = top <= 1 ? "TOP_1_PERCENT" : top <= 10 ? "TOP_10_PERCENT" : top <= 25 ? "TOP_25_PERCENT" : null;
                tiers += tier == null ? 0 : 1;
                response.path("project.ranking.rank").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(rank))
                        .path("project.ranking.of").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(of))
                        .path("project.ranking.percentile").entity(Double.class)
                        .satisfies(p -> assertThat(p).as(description).isCloseTo(100.0 * (of - rank + 1) / of, within(1e-9)))
                        .path("project.ranking.topPercent").entity(Double.class)
                        .satisfies(p -> assertThat(p).as(description).isCloseTo(top, within(1e-9)));
                if (tier == null) {
                    response.path("project.ranking.tier").valueIsNull();
                } else {
                    response.path("project.ranking.tier").entity(String.class).isEqualTo(tier);
                }
            }
        }
        assertThat(tiers).isGreaterThan(3);
    }

    @Test
    void aProjectWithoutDownloadsInTheRangeHasNoRanking() {
        // A project first downloaded well after the data's first day, ranked over the days before.
        String late = strings(Sql.of("SELECT project AS v FROM pypi GROUP BY project HAVING min(date) > (SELECT min(date) + 60 FROM pypi) "
                + "ORDER BY count() DESC, project LIMIT 1")).getFirst();
        LocalDate before = LocalDate.parse(strings(Sql.of("SELECT toString(min(date) - 1) AS v FROM pypi WHERE project = {p:String}")
                .bind("p", late)).getFirst());
        graphQl.document("query($n: String!, $to: Date) { project(name: $n) { all: ranking { rank } before: ranking(filter: { to: $to }) { rank } } }")
                .variable("n", late).variable("to", before.toString()).execute()
                .path("project.all.rank").entity(Long.class).satisfies(rank -> assertThat(rank).isPositive())
                .path("project.before").valueIsNull();
    }

    @Test
    void aRankingWithinDatesAndACountryIsAnsweredByTheCheapestCoveringAggregate() {
        Catalog catalog = warehouseCatalog.catalog().block();
        DateRange march = new DateRange(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31"));
        // The plan lists the project's own downloads under each filter (one project); what they are counted among is
        // read once per filter and data version outside any request (RankingIndex), from the same kind of choice.
        String expected = catalog.choose(new Shape(Set.of(Dimension.COUNTRY), null, march, 1)).name();
        String allTime = catalog.choose(new Shape(Set.of(), null, null, 1)).name();
        assertThat(catalog.choose(new Shape(Set.of(Dimension.COUNTRY), null, march, Shape.ALL_PROJECTS)).name()).isNotEqualTo(catalog.raw().name());
        assertThat(List.of(expected, allTime)).doesNotContain(catalog.raw().name());

        web.post().uri("/graphql").header("X-Query-Plan", "true").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ project(name: \"boto3\") { a: ranking { rank } "
                        + "b: ranking(filter: { from: \"2026-03-01\", to: \"2026-03-31\", country: \"US\" }) { rank } } }")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.extensions.queryPlan.length()").isEqualTo(2)
                .jsonPath("$.extensions.queryPlan[*].table").value(tables ->
                        assertThat(tables).asString().contains(expected).contains(allTime));
    }

    @Test
    void aBadRankingFilterIsABadRequest() {
        graphQl.document("{ project(name: \"boto3\") { ranking(filter: { country: \"Germany\" }) { rank } } }").execute()
                .errors().expect(error -> error.getErrorType() == ErrorType.BAD_REQUEST
                        && error.getMessage() != null && error.getMessage().contains("filter.country")).verify();
        graphQl.document("{ project(name: \"boto3\") { ranking(filter: { from: \"2026-03-02\", to: \"2026-03-01\" }) { rank } } }").execute()
                .errors().expect(error -> error.getErrorType() == ErrorType.BAD_REQUEST).verify();
    }
}
