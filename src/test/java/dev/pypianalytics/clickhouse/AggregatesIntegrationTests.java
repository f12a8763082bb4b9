package dev.pypianalytics.clickhouse;

import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregates as the database describes them, against sql/ and against ClickPy's known defect. */
class AggregatesIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Test
    void theCatalogListsEveryAggregateViewInSqlFiles() throws IOException {
        Pattern view = Pattern.compile("CREATE MATERIALIZED VIEW IF NOT EXISTS (\\w+) TO (\\w+) AS[\\s\\S]*\\bFROM pypi\\s*\\n");
        Set<String> inSql;
        try (Stream<Path> files = Files.list(Path.of("sql"))) {
            inSql = files.map(file -> {
                try {
                    Matcher matcher = view.matcher(Files.readString(file) + "\n");
                    return matcher.find() ? matcher.group(2) : null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        }
        assertThat(inSql).hasSizeGreaterThanOrEqualTo(16).contains("pypi_downloads_per_day_by_version_by_installer_by_type",
                "pypi_downloads_per_day_by_installer", "pypi_downloads_max_min", "pypi_downloads_per_month");
        assertThat(new Aggregates(clickHouse).all()).extracting(Aggregates.Aggregate::table).containsExactlyInAnyOrderElementsOf(inSql);
    }

    @Test
    void everyGroupedColumnIsInTheSortingKey() {
        for (Aggregates.Aggregate aggregate : new Aggregates(clickHouse).all()) {
            String sortingKey = clickHouse.queryOne(Sql.of("SELECT sorting_key FROM system.tables "
                            + "WHERE database = currentDatabase() AND name = {name:String}").bind("name", aggregate.table()),
                    row -> row.getString("sorting_key")).block();
            List<String> sorted = Arrays.stream(sortingKey.split(",")).map(String::strip).toList();
            assertThat(sorted).as(aggregate.table()).containsExactlyInAnyOrderElementsOf(aggregate.keys());
        }
    }

    @Test
    void anAggregateAddedAfterDataWasLoadedIsFilledFromPypi() {
        clickHouse.execute(Sql.of("CREATE TABLE it_new_aggregate (project String, system LowCardinality(String), count Int64) "
                + "ENGINE = SummingMergeTree ORDER BY (project, system)")).block();
        clickHouse.execute(Sql.of("CREATE MATERIALIZED VIEW it_new_aggregate_mv TO it_new_aggregate AS "
                + "SELECT project, system, count() AS count FROM pypi GROUP BY project, system")).block();
        try {
            List<String> filled = new Aggregates(clickHouse).backfillEmpty(Duration.ofMinutes(5));

            assertThat(filled).containsExactly("it_new_aggregate");
            assertThat(WarehouseTruth.count(clickHouse, "SELECT sum(count) AS n FROM it_new_aggregate"))
                    .isEqualTo(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi")).isPositive();
            assertThat(WarehouseTruth.mismatches(clickHouse)).doesNotContainKey("it_new_aggregate");
            assertThat(new Aggregates(clickHouse).backfillEmpty(Duration.ofMinutes(5))).isEmpty();
        } finally {
            clickHouse.execute(Sql.of("DROP VIEW IF EXISTS it_new_aggregate_mv")).block();
            clickHouse.execute(Sql.of("DROP TABLE IF EXISTS it_new_aggregate")).block();
        }
    }
}
