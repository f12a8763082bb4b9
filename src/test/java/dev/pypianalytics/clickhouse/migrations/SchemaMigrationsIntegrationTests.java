package dev.pypianalytics.clickhouse.migrations;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations against a real ClickHouse, each test in a scratch database of its own. */
class SchemaMigrationsIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse appClickHouse;

    @Autowired
    ClickHouseEndpoint endpoint;

    HttpClickHouse scratch;
    String database;

    @BeforeEach
    void scratchDatabase() {
        database = "migrations_" + UUID.randomUUID().toString().replace("-", "");
        appClickHouse.execute(Sql.of("CREATE DATABASE " + database)).block();
        scratch = HttpClickHouse.administrative(endpoint.withDatabase(database), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @AfterEach
    void dropScratch() {
        appClickHouse.execute(Sql.of("DROP DATABASE IF EXISTS " + database)).block();
    }

    @Test
    void theApplicationAppliedEverySqlFileInTheRepository() throws IOException {
        List<String> files;
        try (Stream<Path> sql = Files.list(Path.of("sql"))) {
            files = sql.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        List<String> applied = appClickHouse.query(Sql.of("SELECT DISTINCT name FROM schema_migrations ORDER BY name"),
                row -> row.getString("name")).collectList().block();
        assertThat(applied).isEqualTo(files).isNotEmpty();
    }

    @Test
    void filesApplyInNameOrderAndOnlyOnce() {
        MigrationFile table = MigrationFile.parse("0001_t.sql", "CREATE TABLE IF NOT EXISTS t (a Int64) ENGINE = MergeTree ORDER BY a");
        MigrationFile view = MigrationFile.parse("0002_v.sql", "CREATE VIEW IF NOT EXISTS v AS SELECT a FROM t");
        SchemaMigrations migrations = new SchemaMigrations(scratch);

        // Given out of order: the view needs the table, so only name order succeeds.
        assertThat(migrations.apply(List.of(view, table)).applied()).containsExactly("0001_t.sql", "0002_v.sql");
        assertThat(migrations.apply(List.of(table, view)).applied()).isEmpty();
        assertThat(count("SELECT count() AS n FROM schema_migrations")).isEqualTo(2);
    }

    @Test
    void anUpgradeAppliesOnlyTheNewFile() {
        MigrationFile table = MigrationFile.parse("0001_t.sql", "CREATE TABLE IF NOT EXISTS t (a Int64) ENGINE = MergeTree ORDER BY a");
        SchemaMigrations migrations = new SchemaMigrations(scratch);
        migrations.apply(List.of(table));
        scratch.execute(Sql.of("INSERT INTO t VALUES (1), (2)")).block();

        MigrationFile column = MigrationFile.parse("0002_column.sql", "ALTER TABLE t ADD COLUMN IF NOT EXISTS b String DEFAULT 'x'");
        assertThat(migrations.apply(List.of(table, column)).applied()).containsExactly("0002_column.sql");
        assertThat(count("SELECT count() AS n FROM t WHERE b = 'x'")).isEqualTo(2);
    }

    @Test
    void aChangedAppliedFileIsReportedAndNotReRun() {
        SchemaMigrations migrations = new SchemaMigrations(scratch);
        migrations.apply(List.of(MigrationFile.parse("0001_t.sql",
                "CREATE TABLE IF NOT EXISTS t (a Int64) ENGINE = MergeTree ORDER BY a")));

        MigrationFile edited = MigrationFile.parse("0001_t.sql",
                "CREATE TABLE IF NOT EXISTS t_edited (a Int64) ENGINE = MergeTree ORDER BY a");
        SchemaMigrations.Report report = migrations.apply(List.of(edited));

        assertThat(report.applied()).isEmpty();
        assertThat(report.changed()).singleElement().satisfies(changed -> {
            assertThat(changed.name()).isEqualTo("0001_t.sql");
            assertThat(changed.currentChecksum()).isEqualTo(edited.checksum()).isNotEqualTo(changed.appliedChecksum());
        });
        assertThat(count("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 't_edited'")).isZero();
    }

    @Test
    void aFailingFileStopsTheRunIsNotRecordedAndAppliesOnceFixed() {
        SchemaMigrations migrations = new SchemaMigrations(scratch);
        MigrationFile broken = MigrationFile.parse("0001_broken.sql", "CREATE TABLE IF NOT EXISTS t (a NoSuchType) ENGINE = Memory");
        MigrationFile later = MigrationFile.parse("0002_later.sql", "CREATE TABLE IF NOT EXISTS later (a Int64) ENGINE = Memory");

        assertThatThrownBy(() -> migrations.apply(List.of(broken, later)))
                .isInstanceOf(SchemaMigrationException.class).hasMessageContaining("sql/0001_broken.sql");
        assertThat(count("SELECT count() AS n FROM schema_migrations")).isZero();

        MigrationFile fixed = MigrationFile.parse("0001_broken.sql", "CREATE TABLE IF NOT EXISTS t (a Int64) ENGINE = Memory");
        assertThat(migrations.apply(List.of(fixed, later)).applied()).containsExactly("0001_broken.sql", "0002_later.sql");
    }

    private long count(String sql) {
        return scratch.queryOne(Sql.of(sql), row -> row.getLong("n")).block();
    }
}
