package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.Layout;
import dev.pypianalytics.planner.TableSpec;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The truth test: for randomized filters on the demo data, every answer of {@code totalDownloads},
 * {@code downloads} and {@code breakdown} equals the same aggregation written here, independently, over
 * the raw {@code pypi} table — whatever aggregate the planner answered from.
 */
class DownloadsTruthIntegrationTests extends IntegrationTest {

    static final String[] GRANULARITIES = {"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"};
    static final Map<String, String> COLUMNS = Map.of("VERSION", "version", "COUNTRY", "country_code", "FILE_TYPE", "type",
            "PYTHON_MINOR", "python_minor", "SYSTEM", "system", "INSTALLER", "installer", "CI", "ci");
    static final Map<String, String> BUCKETS = Map.of("DAY", "date", "WEEK", "toMonday(date)", "MONTH", "toStartOfMonth(date)",
            "QUARTER", "toStartOfQuarter(date)", "YEAR", "toStartOfYear(date)");

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    WarehouseCatalog warehouseCatalog;

    @Autowired
    ApiProperties apiProperties;

    @Autowired
    dev.pypianalytics.config.WarehouseProperties warehouseProperties;

    <T> List<T> raw(Sql sql, java.util.function.Function<dev.pypianalytics.clickhouse.ResultRow, T> row) {
        return clickHouse.query(sql.withTimeout(Duration.ofMinutes(1)), row).collectList().block();
    }

    @Test
    void everyAnswerEqualsTheSameAggregationOverTheRawTable() {
        Random random = new Random(20261121);
        List<String> projects = raw(Sql.of("SELECT project FROM pypi WHERE date >= '2023-04-01' GROUP BY project "
                + "ORDER BY count() DESC, project LIMIT 300"), row -> row.getString("project"));
        for (int i = 0; i < 40; i++) {
            String project = projects.get(random.nextInt(i < 20 ? 20 : projects.size()));
            Map<String, Object> filter = randomFilter(random, project);
            String granularity = GRANULARITIES[random.nextInt(GRANULARITIES.length)];
            String by = COLUMNS.keySet().stream().sorted().toList().get(random.nextInt(COLUMNS.size()));
            int limit = 1 + random.nextInt(8);
            String description = "case " + i + ": " + project + " " + filter + " " + granularity + " by " + by;

            // Independent expectation: conditions written here, measured with count() on the raw table.
            Sql where = where(project, filter);
            long total = raw(new Sql("SELECT count() AS n FROM pypi" + where.text(), where.bindings(), Map.of(), null),
                    row -> row.getLong("n")).getFirst();
            List<Map<String, Object>> series = raw(new Sql("SELECT toString(" + BUCKETS.get(granularity) + ") AS d, count() AS n FROM pypi"
                    + where.text() + " GROUP BY d ORDER BY d", where.bindings(), Map.of(), null), row -> Map.of("date", row.getString("d"),
                    "downloads", row.getLong("n")));
            List<Map<String, Object>> values = raw(new Sql("SELECT toString(" + COLUMNS.get(by) + ") AS v, count() AS n FROM pypi"
                    + where.text() + " GROUP BY v ORDER BY n DESC, v", where.bindings(), Map.of(), null), row -> Map.of("value",
                    row.getString("v"), "downloads", row.getLong("n")));
            List<Map<String, Object>> top = values.stream().limit(limit).toList();
            long listed = top.stream().mapToLong(v -> (Long) v.get("downloads")).sum();

            var response = graphQl.documentName("projectDownloads").variable("name", project).variable("filter", filter)
                    .variable("granularity", granularity).variable("by", by).variable("limit", limit).execute();
            response.path("project.totalDownloads").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(total));
            response.path("project.downloads").entityList(Map.class).satisfies(list -> assertThat(list).as(description)
                    .isEqualTo(series.stream().map(point -> Map.of("date", point.get("date"), "downloads", ((Long) point.get("downloads")).intValue()))
                            .toList()));
            response.path("project.breakdown.entries[*].value").entityList(String.class).satisfies(list -> assertThat(list).as(description)
                    .isEqualTo(top.stream().map(v -> (String) v.get("value")).toList()));
            response.path("project.breakdown.entries[*].downloads").entityList(Long.class).satisfies(list -> assertThat(list).as(description)
                    .isEqualTo(top.stream().map(v -> (Long) v.get("downloads")).toList()));
            response.path("project.breakdown.other").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(total - listed));
            response.path("project.breakdown.total").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(total));
        }
    }

    private Map<String, Object> randomFilter(Random random, String project) {
        Map<String, Object> filter = new LinkedHashMap<>();
        int shape = random.nextInt(4);
        if (shape == 1) {
            LocalDate from = LocalDate.parse("2023-04-01").plusDays(random.nextInt(1000));
            filter.put("from", from.toString());
            filter.put("to", from.plusDays(random.nextInt(400)).toString());
        } else if (shape == 2) {
            LocalDate from = LocalDate.parse("2023-04-01").plusMonths(random.nextInt(30));
            filter.put("from", from.toString());
            filter.put("to", from.plusMonths(random.nextInt(12)).withDayOfMonth(1).plusMonths(1).minusDays(1).toString());
        } else if (shape == 3) {
            filter.put("from", LocalDate.parse("2024-01-01").plusDays(random.nextInt(500)).toString());
        }
        filter.put("ci", List.of("ALL", "EXCLUDE", "ONLY").get(random.nextInt(3)));
        if (random.nextInt(4) == 0) {
            filter.put("countries", pick(random, List.of("US", "CN", "DE", "IE", "GB", "IN", ""), 1 + random.nextInt(3)));
        }
        if (random.nextInt(4) == 0) {
            filter.put("pythonMinors", pick(random, List.of("3.10", "3.11", "3.12", "3.13", "3.14"), 1 + random.nextInt(2)));
        }
        if (random.nextInt(5) == 0) {
            filter.put("installers", pick(random, List.of("pip", "uv", "poetry", ""), 1 + random.nextInt(2)));
        }
        if (random.nextInt(8) == 0) {
            filter.put("systems", pick(random, List.of("Linux", "Windows", "Darwin"), 1));
        }
        if (random.nextInt(8) == 0) {
            filter.put("fileTypes", List.of("sdist"));
        }
        if (random.nextInt(4) == 0) {
            List<String> versions = raw(Sql.of("SELECT DISTINCT version FROM pypi WHERE project = {p:String} ORDER BY version")
                    .bind("p", project), row -> row.getString("version"));
            String version = versions.get(random.nextInt(versions.size()));
            filter.put("versions", random.nextBoolean() ? List.of(version) : List.of(version.substring(0, version.indexOf('.')) + ".*"));
        }
        return filter;
    }

    private static List<String> pick(Random random, List<String> from, int count) {
        List<String> pool = new ArrayList<>(from);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count && !pool.isEmpty(); i++) {
            picked.add(pool.remove(random.nextInt(pool.size())));
        }
        return picked;
    }

    /** The filter as conditions on the raw table, written independently of the gateway's renderer. */
    @SuppressWarnings("unchecked")
    private static Sql where(String project, Map<String, Object> filter) {
        StringBuilder text = new StringBuilder(" WHERE project = {project:String}");
        Sql sql = Sql.of("").bind("project", project);
        if (filter.containsKey("from")) {
            text.append(" AND date >= {from:Date}");
            sql = sql.bind("from", LocalDate.parse((String) filter.get("from")));
        }
        if (filter.containsKey("to")) {
            text.append(" AND date <= {to:Date}");
            sql = sql.bind("to", LocalDate.parse((String) filter.get("to")));
        }
        switch ((String) filter.get("ci")) {
            case "EXCLUDE" -> text.append(" AND ci IN ('false', 'unknown')");
            case "ONLY" -> text.append(" AND ci = 'true'");
            default -> { }
        }
        for (Map.Entry<String, String> list : Map.of("countries", "country_code", "pythonMinors", "python_minor",
                "installers", "installer", "systems", "system", "fileTypes", "type").entrySet()) {
            if (filter.containsKey(list.getKey())) {
                text.append(" AND ").append(list.getValue()).append(" IN {").append(list.getKey()).append(":Array(String)}");
                sql = sql.bind(list.getKey(), filter.get(list.getKey()));
            }
        }
        if (filter.containsKey("versions")) {
            String version = ((List<String>) filter.get("versions")).getFirst();
            if (version.endsWith(".*")) {
                String major = version.substring(0, version.length() - 2);
                text.append(" AND (version = {major:String} OR version LIKE {pattern:String})");
                sql = sql.bind("major", major).bind("pattern", major + ".%");
            } else {
                text.append(" AND version = {version:String}");
                sql = sql.bind("version", version);
            }
        }
        return new Sql(text.toString(), sql.bindings(), Map.of(), null);
    }

    @Test
    void theSummaryCountsBackFromTheLastDayWithDataAndVersionsAreNewestFirst() {
        String asOf = raw(Sql.of("SELECT toString(max(date)) AS d FROM pypi"), row -> row.getString("d")).getFirst();
        List<String> projects = raw(Sql.of("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 4"),
                row -> row.getString("project"));
        for (String project : projects) {
            for (String ci : List.of("ALL", "EXCLUDE")) {
                String ciCondition = ci.equals("EXCLUDE") ? " AND ci IN ('false', 'unknown')" : "";
                List<Long> expected = raw(Sql.of("SELECT countIf(date = toDate({asOf:Date})) AS d, countIf(date >= toDate({asOf:Date}) - 6 AND date <= toDate({asOf:Date})) AS w, "
                        + "countIf(date >= toDate({asOf:Date}) - 29 AND date <= toDate({asOf:Date})) AS m, count() AS a FROM pypi WHERE project = {p:String}" + ciCondition)
                        .bind("asOf", asOf).bind("p", project), row -> List.of(row.getLong("d"), row.getLong("w"), row.getLong("m"), row.getLong("a")))
                        .getFirst();
                graphQl.document("query($n: String!, $f: DownloadFilter) { project(name: $n) { downloadSummary(filter: $f) "
                                + "{ asOf lastDay lastWeek lastMonth allTime } } }")
                        .variable("n", project).variable("f", Map.of("ci", ci)).execute()
                        .path("project.downloadSummary.asOf").entity(String.class).isEqualTo(asOf)
                        .path("project.downloadSummary.lastDay").entity(Long.class).isEqualTo(expected.get(0))
                        .path("project.downloadSummary.lastWeek").entity(Long.class).isEqualTo(expected.get(1))
                        .path("project.downloadSummary.lastMonth").entity(Long.class).isEqualTo(expected.get(2))
                        .path("project.downloadSummary.allTime").entity(Long.class).isEqualTo(expected.get(3));
            }
            // Demo versions are plain numbers: newest first is descending integer arrays, computed here independently.
            List<String> versions = raw(Sql.of("SELECT version FROM pypi WHERE project = {p:String} GROUP BY version "
                    + "ORDER BY arrayMap(x -> toUInt32(x), splitByChar('.', version)) DESC LIMIT 5").bind("p", project), row -> row.getString("version"));
            List<Long> counts = raw(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String} GROUP BY version "
                    + "ORDER BY arrayMap(x -> toUInt32(x), splitByChar('.', version)) DESC LIMIT 5").bind("p", project), row -> row.getLong("n"));
            String firstUpload = raw(Sql.of("SELECT toString(toDate(min(upload_time))) AS d FROM projects WHERE name = {p:String} AND version = {v:String}")
                    .bind("p", project).bind("v", versions.getFirst()), row -> row.getString("d")).getFirst();
            String firstUploadTime = raw(Sql.of("SELECT toString(toStartOfSecond(min(upload_time))) AS d FROM projects WHERE name = {p:String} AND version = {v:String}")
                    .bind("p", project).bind("v", versions.getFirst()), row -> row.getString("d")).getFirst();
            var answer = graphQl.document("query($n: String!) { project(name: $n) { versions(limit: 5) { name uploadDay uploadTime downloads "
                            + "series(granularity: QUARTER) { date downloads } } } }")
                    .variable("n", project).execute();
            answer.path("project.versions[*].name").entityList(String.class).isEqualTo(versions)
                    .path("project.versions[*].downloads").entityList(Long.class).isEqualTo(counts)
                    .path("project.versions[0].uploadDay").entity(String.class).isEqualTo(firstUpload)
                    .path("project.versions[0].uploadTime").entity(String.class)
                    .satisfies(time -> assertThat(java.time.OffsetDateTime.parse(time).toLocalDateTime().toString().replace('T', ' '))
                            .startsWith(firstUploadTime.substring(0, 16)));
            for (int v = 0; v < versions.size(); v++) {
                answer.path("project.versions[" + v + "].series[*].downloads").entityList(Long.class)
                        .isEqualTo(raw(Sql.of("SELECT toStartOfQuarter(date) AS q, count() AS n FROM pypi WHERE project = {p:String} AND version = {v:String} "
                                + "GROUP BY q ORDER BY q").bind("p", project).bind("v", versions.get(v)), row -> row.getLong("n")));
            }
        }
    }

    @Test
    void splitSeriesAndTheInstallerFileTypeMatrixEqualTheRawTable() {
        String project = raw(Sql.of("SELECT project FROM pypi GROUP BY project ORDER BY count() DESC, project LIMIT 1"),
                row -> row.getString("project")).getFirst();
        String where = " FROM pypi WHERE project = {p:String} AND date >= '2024-01-01' AND ci IN ('false', 'unknown')";
        List<String> leaders = raw(Sql.of("SELECT installer AS v" + where + " GROUP BY v ORDER BY count() DESC, v LIMIT 2").bind("p", project),
                row -> row.getString("v"));
        var response = graphQl.document("query($n: String!) { project(name: $n) { "
                        + "downloadsBy(by: INSTALLER, granularity: QUARTER, top: 2, filter: { from: \"2024-01-01\", ci: EXCLUDE }) "
                        + "{ value other downloads { date downloads } } "
                        + "installerFileTypes(filter: { ci: EXCLUDE }) { installer fileType downloads } } }")
                .variable("n", project).execute();

        response.path("project.downloadsBy[*].value").entityList(String.class).isEqualTo(List.of(leaders.get(0), leaders.get(1), "other"));
        response.path("project.downloadsBy[*].other").entityList(Boolean.class).isEqualTo(List.of(false, false, true));
        for (int i = 0; i < 3; i++) {
            String which = i < 2 ? " AND installer = {v:String}" : " AND installer NOT IN {leaders:Array(String)}";
            Sql sql = Sql.of("SELECT toStartOfQuarter(date) AS q, count() AS n" + where + which + " GROUP BY q ORDER BY q").bind("p", project)
                    .bind(i < 2 ? "v" : "leaders", i < 2 ? leaders.get(i) : leaders);
            response.path("project.downloadsBy[" + i + "].downloads[*].downloads").entityList(Long.class)
                    .isEqualTo(raw(sql, row -> row.getLong("n")));
        }
        List<String> cells = raw(Sql.of("SELECT concat(installer, '/', type, '/', toString(count())) AS v FROM pypi WHERE project = {p:String} "
                + "AND ci IN ('false', 'unknown') GROUP BY installer, type ORDER BY count() DESC, installer, type").bind("p", project),
                row -> row.getString("v"));
        List<String> installers = response.path("project.installerFileTypes[*].installer").entityList(String.class).get();
        List<String> types = response.path("project.installerFileTypes[*].fileType").entityList(String.class).get();
        List<Long> counts = response.path("project.installerFileTypes[*].downloads").entityList(Long.class).get();
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < installers.size(); i++) {
            answered.add(installers.get(i) + "/" + types.get(i) + "/" + counts.get(i));
        }
        assertThat(answered).isEqualTo(cells);
    }

    @Test
    void topValuesAndTheirOtherSplitTiesAtTheCutByValueAsTheRawTableDoes() {
        // Projects where two versions have the same downloads and only the first (by value) makes the top: the cut falls in a tie.
        List<List<String>> cases = raw(Sql.of("""
                SELECT project, toString(min(position)) AS k FROM (
                  SELECT project, version, n, row_number() OVER (PARTITION BY project ORDER BY n DESC, version) AS position
                  FROM (SELECT project, version, count() AS n FROM pypi GROUP BY project, version))
                GROUP BY project, n HAVING count() >= 2 AND min(position) <= 15
                ORDER BY project LIMIT 4"""), row -> List.of(row.getString("project"), row.getString("k")));
        assertThat(cases).as("demo data has ties at a cut").isNotEmpty();
        for (List<String> c : cases) {
            String project = c.get(0);
            int limit = Integer.parseInt(c.get(1));
            String description = project + " top " + limit;
            List<List<String>> values = raw(Sql.of("SELECT version AS v, toString(count()) AS n FROM pypi WHERE project = {p:String} "
                    + "GROUP BY v ORDER BY count() DESC, v").bind("p", project), row -> List.of(row.getString("v"), row.getString("n")));
            List<String> leaders = values.stream().limit(limit).map(List::getFirst).toList();
            long total = values.stream().mapToLong(v -> Long.parseLong(v.get(1))).sum();
            long listed = values.stream().limit(limit).mapToLong(v -> Long.parseLong(v.get(1))).sum();
            var response = graphQl.document("query($n: String!, $k: Int!) { project(name: $n) { "
                            + "breakdown(by: VERSION, limit: $k) { entries { value downloads } other total } "
                            + "downloadsBy(by: VERSION, granularity: YEAR, top: $k) { value other downloads { date downloads } } } }")
                    .variable("n", project).variable("k", limit).execute();
            response.path("project.breakdown.entries[*].value").entityList(String.class).satisfies(list -> assertThat(list).as(description)
                    .isEqualTo(leaders));
            response.path("project.breakdown.other").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(total - listed));
            response.path("project.breakdown.total").entity(Long.class).satisfies(n -> assertThat(n).as(description).isEqualTo(total));
            List<String> series = new ArrayList<>(leaders);
            if (values.size() > limit) {
                series.add("other");
            }
            response.path("project.downloadsBy[*].value").entityList(String.class).satisfies(list -> assertThat(list).as(description)
                    .isEqualTo(series));
            List<String> others = values.stream().skip(limit).map(List::getFirst).toList();
            for (int i = 0; i < series.size(); i++) {
                Sql sql = Sql.of("SELECT toStartOfYear(date) AS y, count() AS n FROM pypi WHERE project = {p:String} AND version IN {v:Array(String)} "
                        + "GROUP BY y ORDER BY y").bind("p", project).bind("v", i < limit ? List.of(leaders.get(i)) : others);
                response.path("project.downloadsBy[" + i + "].downloads[*].downloads").entityList(Long.class)
                        .satisfies(list -> assertThat(list).as(description).isEqualTo(raw(sql, row -> row.getLong("n"))));
            }
        }
    }

    @Test
    void invalidFiltersAreBadRequestsThatSayWhy() {
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("is after filter.to", Map.of("from", "2026-03-01", "to", "2026-02-01"));
        cases.put("two-letter upper-case country code", Map.of("countries", List.of("usa")));
        cases.put("at most 100", Map.of("installers", java.util.Collections.nCopies(101, "pip")));
        cases.put("not a version", Map.of("versions", List.of("1.0' OR 1=1")));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            graphQl.documentName("projectDownloads").variable("name", "boto3").variable("filter", c.getValue()).variable("by", "VERSION")
                    .execute().errors().satisfy(errors -> {
                        assertThat(errors).isNotEmpty();
                        assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                        assertThat(errors.getFirst().getMessage()).contains(c.getKey());
                    });
        }
        graphQl.documentName("projectDownloads").variable("name", "boto3").variable("by", "VERSION").variable("limit", 0)
                .execute().errors().satisfy(errors -> assertThat(errors.getFirst().getMessage()).contains("limit must be between 1 and 100"));
        graphQl.documentName("projectDownloads").variable("name", "boto3").variable("by", "COLOUR")
                .execute().errors().satisfy(errors -> {
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).contains("COLOUR");
                });
        graphQl.document("{ project(name: \"boto3\") { breakdown(by: COLOUR) { total } } }")
                .execute().errors().satisfy(errors -> assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST));
    }

    @Test
    void theCatalogIsDerivedFromTheDatabaseAndAnswersFromAggregates() {
        Catalog catalog = warehouseCatalog.catalog().block();
        List<String> countTables = new dev.pypianalytics.clickhouse.Aggregates(clickHouse).all().stream()
                .filter(aggregate -> aggregate.measures().equals(List.of("count"))).map(dev.pypianalytics.clickhouse.Aggregates.Aggregate::table)
                .toList();
        assertThat(catalog.aggregates()).extracting(TableSpec::name).containsExactlyInAnyOrderElementsOf(countTables);
        assertThat(catalog.table("pypi_downloads_per_day_by_version_by_installer_by_type").orElseThrow().dimensions())
                .containsExactlyInAnyOrder(Dimension.VERSION, Dimension.INSTALLER, Dimension.FILE_TYPE, Dimension.CI);
        assertThat(catalog.raw().rows()).isPositive();
        assertThat(catalog.aggregates()).allSatisfy(table -> assertThat(table.rows()).isLessThanOrEqualTo(catalog.raw().rows()));
    }

    @Test
    void theCatalogKnowsHowEachTableLiesOnDisk() {
        // read afresh (the application's catalog is up to a minute old; other tests load data)
        Catalog catalog = new WarehouseCatalog(clickHouse, apiProperties, warehouseProperties).catalog().block();
        Layout raw = catalog.raw().layout();
        Layout projectDays = catalog.table("pypi_project_downloads_per_day").orElseThrow().layout();
        Layout monthly = catalog.table("pypi_downloads_per_month").orElseThrow().layout();
        long rawPartitions = clickHouse.queryOne(Sql.of("SELECT uniqExact(partition) AS n FROM system.parts "
                + "WHERE database = currentDatabase() AND table = 'pypi' AND active"), row -> row.getLong("n")).block();
        assertThat(raw.partitions()).hasSize((int) rawPartitions);
        // pypi: a partition per month; the per-project day table: a partition per year, 256-row granules
        assertThat(raw.partitions()).allSatisfy(partition ->
                assertThat(partition.from().withDayOfMonth(1)).isEqualTo(partition.to().withDayOfMonth(1)));
        assertThat(projectDays.partitions()).allSatisfy(partition -> assertThat(partition.from().getYear()).isEqualTo(partition.to().getYear()));
        assertThat(projectDays.granule()).isLessThan(512); // about 256: the estimate counts each part's final mark out
        assertThat(raw.granule()).isGreaterThan(1024);
        assertThat(raw.projectFirst()).isTrue();
        assertThat(projectDays.projectFirst()).isTrue();
        assertThat(monthly.projectFirst()).isFalse();
        assertThat(monthly.partitions()).allSatisfy(partition -> assertThat(partition.from()).isNull());
        // the number of projects: the rows of pypi_downloads, one per project once merged
        assertThat(catalog.projects()).isGreaterThanOrEqualTo(WarehouseTruth.count(clickHouse,
                "SELECT count() AS n FROM (SELECT project FROM pypi_downloads GROUP BY project)"));
    }
}
