package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.Browser;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium, as a user goes: landing page → search → package page → filter
 * (CI excluded, a start day, monthly buckets) → compare → back → a shared link with a country filter. What
 * the pages show is checked against counts over the raw table; screenshots of every step are kept in
 * {@code target/browser-screenshots}. The browser refuses every request that allow-list mode would refuse
 * (anything but a registered operation's id), so every view is shown as it is against a gateway that runs
 * registered operations only.
 */
class DashboardBrowserIntegrationTests extends IntegrationTest {

    private static final String FROM = "2025-06-01";

    @Autowired
    ClickHouse admin;

    private long raw(String project, String condition) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String} AND " + condition).bind("p", project),
                row -> row.getLong("n")).block();
    }

    private List<String> top(String sql) {
        return admin.query(Sql.of(sql), row -> row.getString("project")).collectList().block();
    }

    @Test
    void searchPackageFilterAndCompare() throws Exception {
        Browser.require();
        web
                .get().uri("/").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", BrowserPages.POLICY);
        // The most downloaded project overall, found by the first letters of its name; compared with the second.
        List<String> ranking = top("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 2");
        String project = ranking.get(0);
        String other = ranking.get(1);
        String prefix = project.substring(0, Math.min(3, project.length()));

        // Its most frequent country, for a filter given by a shared link only.
        String country = admin.queryOne(Sql.of("SELECT country_code AS c FROM pypi WHERE project = {p:String} "
                + "GROUP BY country_code ORDER BY count() DESC, country_code LIMIT 1").bind("p", project), row -> row.getString("c")).block();

        JsonNode report = Browser.run("dashboard.mjs", "http://localhost:" + port, Browser.SCREENSHOTS.toAbsolutePath().toString(),
                project, prefix, FROM, other, country);

        assertThat(report.get("foreignRequests").toString()).isEqualTo("[]");
        assertThat(report.get("cspViolations").toString()).isEqualTo("[]");
        assertThat(report.get("consoleErrors").toString()).isEqualTo("[]");
        assertThat(report.get("steps").toString()).contains("1-landing", "2-search", "3-package", "4-package-filtered", "5-compare", "6-back",
                "7-shared-link");
        // Every request was a registered operation (what allow-list mode runs), and every view and the freshness line used them.
        assertThat(report.get("unregistered").toString()).isEqualTo("[]");
        assertThat(report.get("operations").toString())
                .contains("LandingPage", "DataFreshness", "SearchProjects", "PackagePage", "ComparePackages", "ProjectTotal");

        // Landing page: its first list is the last 30 days' top, led by the project that leads them in the raw table.
        String lastMonthLeader = top("SELECT project FROM pypi WHERE date > (SELECT max(date) FROM pypi) - 30 "
                + "GROUP BY project ORDER BY count() DESC, project LIMIT 1").getFirst();
        assertThat(report.get("landingTop").get(0).asString()).isEqualTo(lastMonthLeader);
        assertThat(report.get("landingPanels").toString()).contains("Emerging", "Hot", "Needing a refresh", "Recent releases");
        // The freshness line: the last day with downloads, and the hours from its end (midnight UTC after it) to now.
        String lastDay = admin.queryOne(Sql.of("SELECT toString(max(date)) AS d FROM pypi"), row -> row.getString("d")).block();
        long hoursBehind = java.time.Duration.between(java.time.LocalDate.parse(lastDay).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                java.time.Instant.now()).toHours();
        java.util.regex.Matcher freshness = java.util.regex.Pattern.compile("^Data up to (\\d{4}-\\d{2}-\\d{2}), ([0-9,]+) hours behind")
                .matcher(report.get("freshness").asString());
        assertThat(freshness.find()).as(report.get("freshness").asString()).isTrue();
        assertThat(freshness.group(1)).isEqualTo(lastDay);
        assertThat(Long.parseLong(freshness.group(2).replace(",", ""))).isBetween(Math.max(0, hoursBehind - 1), hoursBehind + 1);

        // Search found it; the package page shows its figures and breakdowns.
        assertThat(report.get("suggestions").toString()).contains("\"" + project + "\"");
        assertThat(report.get("heading").asString()).startsWith(project);
        assertThat(report.get("allTime").asLong()).isEqualTo(raw(project, "1"));
        assertThat(report.get("lastMonth").asLong()).isEqualTo(raw(project, "date > (SELECT max(date) FROM pypi) - 30"));
        assertThat(report.get("panels").toString()).contains("Versions", "Python", "Systems", "Countries", "Installer × file type");

        // The filter reached the API: the range total is the raw count without CI from that day.
        assertThat(report.get("filteredHash").asString()).contains("ci=EXCLUDE", "from=" + FROM, "granularity=MONTH");
        assertThat(report.get("filteredTotal").asLong()).isEqualTo(raw(project, "ci != 'true' AND date >= '" + FROM + "'"))
                .isLessThan(report.get("allTime").asLong());
        assertThat(report.get("chartHeading").asString()).isEqualTo("Downloads per month");

        // Compare keeps the filter and shows both projects' totals.
        assertThat(report.get("compareHash").asString()).contains(project, other, "ci=EXCLUDE");
        List<String> expected = new ArrayList<>();
        for (String name : List.of(project, other)) {
            expected.add("[\"" + name + "\"," + raw(name, "ci != 'true' AND date >= '" + FROM + "'") + "]");
        }
        assertThat(report.get("compareTotals").toString()).isEqualTo("[" + String.join(",", expected) + "]");

        // Back: the filtered package page again, its state read from the URL.
        assertThat(report.get("backHash").asString()).isEqualTo(report.get("filteredHash").asString());
        assertThat(report.get("backTotal").asLong()).isEqualTo(raw(project, "ci != 'true' AND date >= '" + FROM + "'"));

        // A shared link's filters reach the API (country: no input in the bar, shown as a chip), the URL in its one spelling;
        // removing the chip leaves the other filters.
        assertThat(report.get("sharedHash").asString()).isEqualTo("#/project/" + project + "?ci=EXCLUDE&country=" + country);
        assertThat(report.get("chips").toString()).isEqualTo("[\"country: " + country + " ×\"]");
        assertThat(report.get("sharedTotal").asLong()).isEqualTo(raw(project, "ci != 'true' AND country_code = '" + country + "'"))
                .isLessThan(raw(project, "ci != 'true'"));
        assertThat(report.get("unchippedHash").asString()).isEqualTo("#/project/" + project + "?ci=EXCLUDE");
        assertThat(report.get("unchippedTotal").asLong()).isEqualTo(raw(project, "ci != 'true'"));
    }
}
