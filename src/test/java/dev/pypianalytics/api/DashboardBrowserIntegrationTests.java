package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.Browser;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private String one(String sql, String project) {
        return admin.queryOne(Sql.of(sql).bind("p", project), row -> row.getString("v")).block();
    }

    /** A value of `column` among the project's downloads: the most frequent non-empty one, or the next ones (skip). */
    private String frequent(String project, String column, int skip) {
        return one("SELECT toString(" + column + ") AS v FROM pypi WHERE project = {p:String} AND toString(" + column + ") != '' "
                + "GROUP BY v ORDER BY count() DESC, v LIMIT 1 OFFSET " + skip, project);
    }

    /** The project's downloads whose URL filter {@code key} is {@code value} (as the URL writes it), counted in the raw table. */
    private long rawFiltered(String project, String key, String value) {
        String quoted = "'" + value.replace("'", "") + "'";
        return raw(project, switch (key) {
            case "version" -> value.endsWith(".*")
                    ? "(version = " + quoted.replace(".*", "") + " OR startsWith(version, " + quoted.replace(".*", ".") + "))"
                    : "version = " + quoted;
            case "country" -> "country_code = " + quoted;
            case "python" -> "python_minor = " + quoted;
            case "system" -> "system = " + quoted;
            case "installer" -> "installer = " + quoted;
            case "fileType" -> "type = " + quoted;
            case "mirrors" -> "installer NOT IN ('bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi')";
            case "to" -> "date <= " + quoted;
            default -> throw new IllegalArgumentException(key);
        });
    }

    /** The filters of a hash (#/project/p?a=1&b=2), decoded. */
    private static Map<String, String> filtersOf(String hash) {
        Map<String, String> filters = new LinkedHashMap<>();
        int query = hash.indexOf('?');
        if (query >= 0) {
            for (String pair : hash.substring(query + 1).split("&")) {
                String[] parts = pair.split("=", 2);
                filters.put(parts[0], java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return filters;
    }

    private long rawOfHash(String project, String hash) {
        Map<String, String> filters = filtersOf(hash);
        assertThat(filters).as(hash).isNotEmpty();
        // One filter: its raw count; two (installer and file type from a bar): both conditions.
        if (filters.size() == 1) {
            Map.Entry<String, String> only = filters.entrySet().iterator().next();
            return rawFiltered(project, only.getKey(), only.getValue());
        }
        assertThat(filters.keySet()).containsExactly("installer", "fileType");
        return raw(project, "installer = '" + filters.get("installer") + "' AND type = '" + filters.get("fileType") + "'");
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
                .contains("LandingPage", "DataFreshnessStatus", "SearchProjects", "PackageOverview", "PackageBreakdowns", "PackageDetails", "CompareSeries",
                        "ProjectTotal");

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

    /**
     * The package page's filters, charts and states: every filter of the bar, click-to-filter, a reload, partial bucket,
     * lone point, empty range, inverted range, unknown name in compare, did you mean, keyboard in the suggestions, an
     * error and Try again, the page at 390 px — every figure shown checked against the raw table.
     */
    @Test
    void everyFilterClickToFilterHonestChartsAndAPhone() throws Exception {
        Browser.require();
        String project = top("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 1").getFirst();
        String topVersion = frequent(project, "version", 0);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("version", topVersion.split("\\.")[0] + ".*");
        filters.put("country", frequent(project, "country_code", 0));
        filters.put("python", frequent(project, "python_minor", 0));
        filters.put("system", frequent(project, "system", 0));
        filters.put("installer", frequent(project, "installer", 1));
        filters.put("fileType", frequent(project, "type", 1));
        filters.put("mirrors", "EXCLUDE");
        String firstDay = one("SELECT toString(min(date)) AS v FROM pypi WHERE project = {p:String}", project);
        String lastDay = one("SELECT toString(max(date)) AS v FROM pypi WHERE project = {p:String}", project);
        String middle = one("SELECT toString(toDate(intDiv(toUInt32(min(date)) + toUInt32(max(date)), 2))) AS v FROM pypi WHERE project = {p:String}", project);
        filters.put("to", middle);
        // A day it has downloads on; the 15th of a month inside its span; a day before its first download.
        String busyDay = one("SELECT toString(date) AS v FROM pypi WHERE project = {p:String} AND date >= '" + middle + "' GROUP BY date ORDER BY date LIMIT 1", project);
        // The 15th of a month with downloads before and after it: a range from there cuts that month's bucket.
        String midMonth = one("SELECT toString(toStartOfMonth(date) + 14) AS v FROM pypi WHERE project = {p:String} GROUP BY toStartOfMonth(date) "
                + "HAVING countIf(toDayOfMonth(date) < 15) > 0 AND countIf(toDayOfMonth(date) > 15) > 0 ORDER BY toStartOfMonth(date) DESC LIMIT 1 OFFSET 1", project);
        String emptyDay = java.time.LocalDate.parse(firstDay).minusDays(3).toString();
        String otherCountry = frequent(project, "country_code", 1);
        String prefix = project.substring(0, Math.min(2, project.length()));
        Map<String, Object> walk = new LinkedHashMap<>();
        walk.put("project", project);
        walk.put("filters", filters);
        walk.put("country", otherCountry);
        walk.put("midMonth", midMonth);
        walk.put("busyDay", busyDay);
        walk.put("emptyDay", emptyDay);
        walk.put("unknown", "no-such-package-zz");
        walk.put("misspelt", project + "qq");
        walk.put("prefix", prefix);
        walk.put("other", top("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 2").get(1));

        JsonNode report = Browser.run("dashboard-filters.mjs", "http://localhost:" + port, Browser.SCREENSHOTS.toAbsolutePath().toString(),
                new tools.jackson.databind.ObjectMapper().writeValueAsString(walk));
        // Not asserted (timing is the benchmark's business): printed for the record.
        System.out.println("Dashboard: first chart " + report.get("firstChartMs") + " ms after navigation in a new browser on a server just "
                + "started (" + project + "); " + report.get("firstChartWarmServerMs") + " ms in another new browser once the server is warm; "
                + "requests of the first (ms from navigation): " + report.get("firstChartTimings"));

        assertThat(report.path("failure").isMissingNode() ? null : report.get("failure").asString()).isNull();
        assertThat(report.get("foreignRequests").toString()).isEqualTo("[]");
        assertThat(report.get("cspViolations").toString()).isEqualTo("[]");
        assertThat(report.get("consoleErrors").toString()).isEqualTo("[]");
        assertThat(report.get("unregistered").toString()).isEqualTo("[]");
        long allTime = raw(project, "1");
        assertThat(report.get("allTimeTotal").asLong()).isEqualTo(allTime);

        // Details: dependencies and dependents with their downloads (raw counts), the ranking among all projects.
        for (JsonNode row : report.get("dependencies")) {
            String name = row.get(0).asString().toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
            long expected = admin.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", name),
                    r -> r.getLong("n")).block();
            assertThat(row.get(2).asString()).as(name).isEqualTo(expected == 0 ? "–" : String.format(java.util.Locale.ROOT, "%,d", expected));
        }
        for (JsonNode row : report.get("dependents")) {
            assertThat(Long.parseLong(row.get(1).asString().replace(",", ""))).as(row.get(0).asString()).isEqualTo(raw(row.get(0).asString(), "1"));
        }
        long rank = 1 + admin.queryOne(Sql.of("SELECT count() AS n FROM (SELECT project FROM pypi GROUP BY project HAVING count() > {n:UInt64})")
                .bind("n", allTime), r -> r.getLong("n")).block();
        assertThat(report.get("ranking").asString()).contains("#" + String.format(java.util.Locale.ROOT, "%,d", rank) + " of ");
        assertThat(report.get("mapDrawn").asBoolean()).isTrue();
        assertThat(report.get("panels").toString()).contains("Versions per week", "Python minors per week", "Systems per week", "Countries",
                "Installer × file type", "Dependencies", "Dependents");
        assertThat(report.get("chartSeries").get("versions-chart").asInt()).isGreaterThan(1);
        assertThat(report.get("chartSeries").get("python-chart").asInt()).isGreaterThan(1);
        assertThat(report.get("shareMode").asString()).isEqualTo("share");

        // Every filter of the bar reached the API: each total is the raw count under that filter, below the all-time total.
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            JsonNode shown = report.get("filters").get(filter.getKey());
            assertThat(shown.get("hash").asString()).isEqualTo("#/project/" + project + "?" + filter.getKey() + "=" + filter.getValue());
            assertThat(shown.get("total").asLong()).as(filter.getKey()).isEqualTo(rawFiltered(project, filter.getKey(), filter.getValue()))
                    .isLessThan(allTime);
            // The redrawn page gives the focus back to the Apply button that made the change.
            assertThat(shown.get("focus").asString()).as(filter.getKey()).isEqualTo("filter-apply");
        }
        // A reload keeps the state: same figures, the field and the chip show it.
        assertThat(report.get("reload").get("after").asLong()).isEqualTo(report.get("reload").get("before").asLong())
                .isEqualTo(rawFiltered(project, "version", filters.get("version")));
        assertThat(report.get("reload").get("field").asString()).isEqualTo(filters.get("version"));

        // Click to filter: the table's country, a band of the Python chart, the first installer bar.
        assertThat(report.get("clickCountry").get("hash").asString()).isEqualTo("#/project/" + project + "?country=" + otherCountry);
        for (String click : List.of("clickCountry", "clickPython", "clickInstaller")) {
            String hash = report.get(click).get("hash").asString();
            assertThat(report.get(click).get("total").asLong()).as(hash).isEqualTo(rawOfHash(project, hash)).isLessThan(allTime);
        }
        // The band clicked (near the chart's end, at its bottom) is one of the chart's series: the project's eight most downloaded
        // Python minors (which one depends on the downloads in that bucket; its total is checked above).
        List<String> topPython = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String minor = frequent(project, "python_minor", i);
            if (minor != null) {
                topPython.add("#/project/" + project + "?python=" + minor);
            }
        }
        assertThat(report.get("clickPython").get("hash").asString()).isIn(topPython);
        assertThat(filtersOf(report.get("clickInstaller").get("hash").asString())).containsKey("installer");

        // Honest charts: a bucket cut by the range is marked; one bucket is drawn; an empty range says so; an inverted range is refused.
        assertThat(report.get("partial").get("partial").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.get("partial").get("note").asInt()).isEqualTo(1);
        assertThat(report.get("single").get("points").asInt()).isEqualTo(1);
        assertThat(report.get("single").get("total").asLong()).isEqualTo(raw(project, "date = '" + busyDay + "'")).isPositive();
        assertThat(report.get("empty").get("total").asLong()).isZero();
        assertThat(report.get("empty").get("downloadsChart").asInt()).isZero();
        // Every chart says it has nothing to draw: downloads, versions, Python, systems, the map, installer × file type.
        assertThat(report.get("empty").get("emptyPanels").asInt()).isEqualTo(6);
        assertThat(report.get("inverted").get("problem").asString()).contains("before it starts");
        assertThat(report.get("inverted").get("hashAfter").asString()).isEqualTo(report.get("inverted").get("hashBefore").asString());
        assertThat(report.get("inverted").get("invalid").asString()).isEqualTo("true");

        // A link with an inverted range is refused before asking, with a way back: the page without filters.
        assertThat(report.get("invertedLink").get("text").asString()).contains("before it starts");
        assertThat(report.get("invertedLink").get("hash").asString()).isEqualTo("#/project/" + project);
        assertThat(report.get("invertedLink").get("total").asLong()).isEqualTo(allTime);

        // An unknown name in compare is reported and not drawn; an unknown package gets names that start like it.
        assertThat(report.get("compareUnknown").get("notice").asString()).contains("no-such-package-zz");
        assertThat(report.get("compareUnknown").get("series").asInt()).isEqualTo(1);
        assertThat(report.get("didYouMean").toString()).contains("\"" + project + "\"");

        // Keyboard: ↓ ↓ Enter opens the second suggestion — the second most downloaded project with that prefix.
        List<String> byPrefix = admin.query(Sql.of("SELECT project FROM pypi WHERE startsWith(project, {p:String}) GROUP BY project "
                + "ORDER BY count() DESC, project LIMIT 2").bind("p", prefix), row -> row.getString("project")).collectList().block();
        assertThat(report.get("suggestions").get(0).asString()).isEqualTo(byPrefix.get(0));
        String second = report.get("suggestions").get(1).asString();
        assertThat(second).isEqualTo(byPrefix.get(1));
        assertThat(report.get("keyboardSelected").asString()).isEqualTo(second);
        assertThat(report.get("activeDescendant").asString()).isEqualTo("suggestion-1");
        assertThat(report.get("keyboardHash").asString()).isEqualTo("#/project/" + second);

        // An error shows with Try again, which loads the page.
        assertThat(report.get("errorText").asString()).contains("unavailable", "Try again");
        assertThat(report.get("retried").get("total").asLong()).isEqualTo(allTime);

        // 390 px: nothing wider than the screen, every chart there, the same figures.
        JsonNode mobile = report.get("mobile");
        assertThat(mobile.get("scrollWidth").asInt()).isLessThanOrEqualTo(390);
        assertThat(mobile.get("widest").asInt()).isLessThanOrEqualTo(390);
        assertThat(mobile.get("clipped").toString()).isEqualTo("[]");
        assertThat(mobile.get("charts").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(Long.parseLong(mobile.get("total").asString().replace(",", ""))).isEqualTo(allTime);
        assertThat(report.get("steps").toString()).contains("f9-mobile-390");
    }
}
