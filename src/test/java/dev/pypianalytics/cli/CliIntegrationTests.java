package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands as users run them, in-process, against the suite's embedded engine (which a running
 * gateway owns: the commands find it through its data directory).
 */
class CliIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    CliRun cli(String... args) {
        return CliRun.of(args);
    }

    String fingerprint(String table) {
        return clickHouse.queryOne(dev.pypianalytics.clickhouse.Sql.of(
                        "SELECT concat(toString(count()), '-', toString(sum(cityHash64(formatRowNoNewline('TSV', *))))) AS f FROM " + table),
                row -> row.getString("f")).block();
    }

    @Test
    void generateIsDeterministicAndRefusesAWarehouseWithData() {
        String database = "--pypi.clickhouse.database=it_generate";
        CliRun first = cli("generate", "--rows", "20000", "--days", "60", "--seed", "7", database);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Generated");
        String downloads = fingerprint("it_generate.pypi");
        String metadata = fingerprint("it_generate.projects");
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM it_generate.pypi")).isBetween(19_000L, 21_000L);

        CliRun refused = cli("generate", "--rows", "20000", "--days", "60", "--seed", "7", database);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("already holds").contains("--replace");

        CliRun again = cli("generate", "--rows", "20000", "--days", "60", "--seed", "7", "--replace", database);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(fingerprint("it_generate.pypi")).isEqualTo(downloads);
        assertThat(fingerprint("it_generate.projects")).isEqualTo(metadata);
    }

    @Test
    void migrateAppliesThePendingFilesOnceAndListsThem() throws Exception {
        // An instance that never migrates at start-up (a pipeline runs migrate for it): migrate still applies.
        String[] warehouse = {"--pypi.clickhouse.database=it_migrate", "--pypi.migrations.enabled=false"};
        long files;
        try (var sql = Files.list(Path.of("sql"))) {
            files = sql.filter(file -> file.toString().endsWith(".sql")).count();
        }
        try {
            CliRun first = cli("migrate", warehouse[0], warehouse[1]);
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("Applied " + files + " schema file(s):").contains("  sql/0001_pypi.sql");
            assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM it_migrate.schema_migrations")).isEqualTo(files);

            CliRun again = cli("migrate", warehouse[0], warehouse[1]);
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).contains("The schema is up to date: nothing to apply.");
            assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM it_migrate.schema_migrations")).isEqualTo(files);
        } finally {
            clickHouse.execute(dev.pypianalytics.clickhouse.Sql.of("DROP DATABASE IF EXISTS it_migrate")).block();
        }
    }

    @Test
    void aClusterTheServerDoesNotKnowStopsBeforeAnythingIsCreated() {
        CliRun run = cli("migrate", "--pypi.clickhouse.database=it_cluster", "--pypi.clickhouse.cluster=no_such_cluster");
        assertThat(run.code()).isEqualTo(4);
        assertThat(run.err()).contains("the server knows no cluster of that name");
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM system.databases WHERE name = 'it_cluster'")).isZero();
    }

    @Test
    void ingestAndReconcileReportThroughExitCodes() throws Exception {
        Path file = dir.resolve("cli.ndjson");
        Files.writeString(file, """
                {"timestamp": "2018-02-01 10:00:00 UTC", "project": "it-cli", "file": {"filename": "it_cli-1.0.tar.gz", "version": "1.0", "type": "sdist"}}
                {"timestamp": "2018-02-03 10:00:00 UTC", "project": "it-cli", "file": {"filename": "it_cli-1.0.tar.gz", "version": "1.0", "type": "sdist"}}
                """);

        CliRun loaded = cli("ingest", file.toString());
        assertThat(loaded.code()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("1 source(s): 0 failed, 2 rows added.");
        CliRun again = cli("ingest", file.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("0 failed, 0 rows added.");
        assertThat(again.err()).contains("already loaded");

        // 2018-02-02 has no downloads at all: a gap between two loaded days.
        CliRun gaps = cli("reconcile", file.toString());
        assertThat(gaps.code()).as(gaps.err()).isEqualTo(3);
        assertThat(gaps.out()).contains("Checked 3 day(s), 2018-02-01..2018-02-03").contains("2018-02-02").contains("1 missing");

        CliRun missing = cli("ingest", dir.resolve("absent.parquet").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("No such file");
    }
}
