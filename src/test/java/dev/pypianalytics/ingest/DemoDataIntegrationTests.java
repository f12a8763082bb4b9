package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo data the suite's warehouse was started with (generated on first start, three years ending
 * 2026-03-31): its shape is what the API's trends need. Ingest tests add rows only before 2020.
 */
class DemoDataIntegrationTests extends IntegrationTest {

    static final String DEMO = "date >= '2023-04-01'";

    @Autowired
    ClickHouse clickHouse;

    long count(String sql) {
        return WarehouseTruth.count(clickHouse, sql);
    }

    @Test
    void everyDownloadIsOfAVersionReleasedByItsDayWithMetadata() {
        assertThat(count("SELECT count() AS n FROM pypi WHERE " + DEMO)).isGreaterThan(100_000);
        assertThat(count("""
                SELECT count() AS n FROM (
                    SELECT project, version, min(date) AS first FROM pypi WHERE %s GROUP BY project, version
                ) AS d
                LEFT JOIN (SELECT name, version, min(toDate(upload_time)) AS released FROM projects GROUP BY name, version) AS p
                ON p.name = d.project AND p.version = d.version
                WHERE p.name = '' OR p.released > d.first""".formatted(DEMO))).isZero();
        assertThat(count("SELECT uniqExact(project) AS n FROM pypi WHERE " + DEMO))
                .isEqualTo(count("SELECT uniqExact(name) AS n FROM projects WHERE name IN (SELECT project FROM pypi WHERE " + DEMO + ")"));
    }

    @Test
    void sharesFollowTheCalendar() {
        assertThat(count("SELECT count() AS n FROM pypi WHERE " + DEMO + " AND installer = 'uv' AND date < '2024-02-15'")).isZero();
        assertThat(count("SELECT count() AS n FROM pypi WHERE " + DEMO + " AND installer = 'uv'")).isPositive();
        assertThat(count("SELECT count() AS n FROM pypi WHERE " + DEMO + " AND python_minor = '3.14' AND date < '2025-10-07'")).isZero();
        // uv's share grows: the last quarter has a larger share than the first quarter after its launch.
        assertThat(count("SELECT toInt64(1000 * countIf(installer = 'uv') / count()) AS n FROM pypi WHERE date >= '2026-01-01'"))
                .isGreaterThan(count("SELECT toInt64(1000 * countIf(installer = 'uv') / count()) AS n FROM pypi "
                        + "WHERE date BETWEEN '2024-03-01' AND '2024-05-31'"));
        // Weekends are quieter than weekdays; downloads grow from year to year.
        assertThat(count("SELECT toInt64(avgIf(c, toDayOfWeek(date) >= 6) * 100 / avgIf(c, toDayOfWeek(date) < 6)) AS n "
                + "FROM (SELECT date, count() AS c FROM pypi WHERE " + DEMO + " GROUP BY date)")).isBetween(30L, 85L);
        assertThat(count("SELECT count() AS n FROM pypi WHERE date BETWEEN '2025-04-01' AND '2026-03-31'"))
                .isGreaterThan(count("SELECT count() AS n FROM pypi WHERE date BETWEEN '2023-04-01' AND '2024-03-31'"));
        List<String> ci = clickHouse.query(Sql.of("SELECT DISTINCT toString(ci) AS ci FROM pypi WHERE " + DEMO + " ORDER BY ci"),
                row -> row.getString("ci")).collectList().block();
        assertThat(ci).containsExactly("false", "true", "unknown");
    }

    @Test
    void popularityFollowsTheRealCurveAndProjectsHaveLives() {
        // The generated last month follows ClickPy's 2026-03 top projects.
        List<String> generated = clickHouse.query(Sql.of("SELECT project FROM pypi_downloads_per_month WHERE month = '2026-03-01' "
                + "GROUP BY project ORDER BY sum(count) DESC LIMIT 20"), row -> row.getString("project")).collectList().block();
        List<String> real = DemoData.popularityCsv().lines().skip(1).limit(20)
                .map(line -> line.substring(line.indexOf(',') + 1).replace("\"", "")).toList();
        assertThat(generated).filteredOn(real::contains).hasSizeGreaterThanOrEqualTo(12);
        // Emerging: first downloads within the last six months; stale: popular, no upload for over a year.
        assertThat(count("SELECT count() AS n FROM pypi_downloads_max_min WHERE min_date >= '2025-10-01'")).isGreaterThan(10);
        assertThat(count("""
                SELECT count() AS n FROM (SELECT project FROM pypi_downloads ORDER BY count DESC LIMIT 1000)
                WHERE dictGet('last_updated_dict', 'last_update', project) < '2025-03-31'""")).isGreaterThan(10);
        // Versions follow PEP 440 numbering past single digits (1.10 after 1.9).
        assertThat(count("SELECT count() AS n FROM projects WHERE match(version, '^[0-9]+[.][0-9]{2}[.][0-9]+$')")).isPositive();
        assertThat(count("SELECT count() AS n FROM projects WHERE length(requires_dist) > 0")).isPositive();
        assertThat(count("SELECT count() AS n FROM pypi_freshness FINAL WHERE " + DEMO + " AND status = 'complete'")).isEqualTo(1096);
        assertThat(count("SELECT count() AS n FROM countries WHERE dictGet('countries_dict', 'name', code) = 'Ireland'")).isEqualTo(1);
    }
}
