package dev.pypianalytics.clickhouse.embedded;

import dev.pypianalytics.cli.Cli;
import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sharded layout of issue 18 (part 2), proven at the engine level: two embedded engines form the cluster
 * {@code pypi_shards} over ClickHouse's native TCP interface; every {@code sql/} migration is applied to a per-shard
 * database ({@code pypi_local}) on each; {@code Distributed} tables over the per-project tables, sharded by
 * {@code cityHash64(project)}, take the downloads. Each shard's own views fill its aggregates, and what the
 * Distributed tables answer equals the same aggregation over the raw table across both shards, with every project
 * on one shard. Also pinned: the two facts the gateway's wiring must work around (a Distributed table takes no
 * mutation; ON CLUSTER needs a Keeper the embedded engine lacks). The gateway itself does not run on this layout yet.
 */
class ShardedLayoutIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final long ROWS = 200_000;
    private static final List<EmbeddedEngine> SHARDS = new ArrayList<>();

    @BeforeAll
    static void twoShards() throws Exception {
        int[] tcp = {EmbeddedEngine.freePort(), EmbeddedEngine.freePort()};
        String cluster = """
                <clickhouse>
                  <tcp_port>%d</tcp_port>
                  <remote_servers><pypi_shards>
                    <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
                    <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
                  </pypi_shards></remote_servers>
                </clickhouse>
                """;
        for (int shard = 0; shard < 2; shard++) {
            Path dataDir = TestWarehouse.newDirectory("shard-" + (shard + 1));
            Files.createDirectories(TestEngines.configOverrides(dataDir));
            Files.writeString(TestEngines.configOverrides(dataDir).resolve("shards.xml"), cluster.formatted(tcp[shard], tcp[0], tcp[1]));
            EmbeddedEngine engine = new EmbeddedEngine(TestEngines.library(), dataDir, 0, Duration.ofSeconds(120), Duration.ofSeconds(30),
                    new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)), EmbeddedEngine.hostCommandForThisJvm("96m"),
                    EngineConfig.withRandomPassword("pypi_api", "pypi_local", 60)).start();
            SHARDS.add(engine);
            sql(engine, "SYSTEM START LISTEN TCP");
        }
        for (EmbeddedEngine engine : SHARDS) {
            // The gateway's own migrate command, into each shard's database.
            assertThat(Cli.run(new String[]{"migrate", "--pypi.clickhouse.url=" + engine.url(), "--pypi.clickhouse.database=pypi_local"}))
                    .isZero();
        }
    }

    @AfterAll
    static void stop() {
        SHARDS.forEach(EmbeddedEngine::close);
        SHARDS.clear();
    }

    private static HttpResponse<String> send(EmbeddedEngine engine, String statement) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(engine.url() + "/?query=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(2)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String sql(EmbeddedEngine engine, String statement) throws IOException, InterruptedException {
        HttpResponse<String> response = send(engine, statement);
        assertThat(response.statusCode()).as(statement + ": " + response.body()).isEqualTo(200);
        return response.body().strip();
    }

    /** The engine's refusal of a statement (its error text). */
    private static String failure(EmbeddedEngine engine, String statement) throws IOException, InterruptedException {
        HttpResponse<String> response = send(engine, statement);
        assertThat(response.statusCode()).as(statement).isNotEqualTo(200);
        return response.body();
    }

    @Test
    void distributedTablesAnswerAsTheRawTableAcrossBothShards() throws Exception {
        EmbeddedEngine first = SHARDS.getFirst();
        assertThat(sql(first, "SELECT count() FROM system.clusters WHERE cluster = 'pypi_shards'")).isEqualTo("2");

        // Distributed tables on the first shard over every per-project table of pypi_local (same names, sharded by project).
        sql(first, "CREATE DATABASE pypi_dist");
        List<String> tables = List.of(sql(first, """
                SELECT name FROM system.tables WHERE database = 'pypi_local' AND engine LIKE '%MergeTree'
                  AND name IN (SELECT table FROM system.columns WHERE database = 'pypi_local' AND name = 'project') ORDER BY name""")
                .split("\n"));
        assertThat(tables).contains("pypi", "pypi_downloads", "pypi_downloads_per_day", "pypi_downloads_per_day_by_version_by_python");
        for (String table : tables) {
            sql(first, "CREATE TABLE pypi_dist.`" + table + "` AS pypi_local.`" + table + "` ENGINE = Distributed(pypi_shards, pypi_local, `"
                    + table + "`, cityHash64(project))");
        }

        // Downloads in through the Distributed raw table, synchronously (each shard's views run on its part).
        sql(first, "INSERT INTO pypi_dist.pypi SELECT toDate('2025-01-01') + number % 400, ['US', 'DE', 'CN', ''][1 + number % 4], "
                + "concat('project-', toString(cityHash64(number) % 300)), ['bdist_wheel', 'sdist'][1 + number % 2], ['pip', 'uv', 'poetry'][1 + number % 3], "
                + "concat('3.', toString(8 + number % 5)), ['Linux', 'Windows', 'Darwin'][1 + number % 3], concat('1.', toString(number % 7)), "
                + "['false', 'true', 'unknown'][1 + number % 3], '', tuple('glibc', '2.35') FROM numbers(" + ROWS + ") "
                + "SETTINGS distributed_foreground_insert = 1");

        // Both shards hold part of the rows, together all of them; no project is on both.
        long total = 0;
        for (EmbeddedEngine shard : SHARDS) {
            long rows = Long.parseLong(sql(shard, "SELECT count() FROM pypi_local.pypi"));
            assertThat(rows).isPositive().isLessThan(ROWS);
            total += rows;
        }
        assertThat(total).isEqualTo(ROWS);
        assertThat(sql(first, "SELECT count() FROM pypi_dist.pypi")).isEqualTo(String.valueOf(ROWS));
        assertThat(sql(first, "SELECT count() FROM (SELECT project FROM pypi_dist.pypi GROUP BY project HAVING uniqExact(_shard_num) > 1)"))
                .isEqualTo("0");

        // Every aggregate through its Distributed table equals the same aggregation over the raw table, across the shards.
        assertThat(mismatches(first, "pypi_downloads", "project")).isZero();
        assertThat(mismatches(first, "pypi_downloads_per_day", "project, date")).isZero();
        assertThat(mismatches(first, "pypi_downloads_per_day_by_version_by_python", "project, date, version, python_minor, ci")).isZero();
        assertThat(mismatches(first, "pypi_downloads_per_day_by_version_by_system_by_country", "project, date, version, system, country_code, ci"))
                .isZero();
        assertThat(mismatches(first, "pypi_downloads_per_day_by_version_by_installer_by_type", "project, date, version, installer, type, ci"))
                .isZero();

        // What the gateway's wiring must work around: no mutation through a Distributed table, no ON CLUSTER without Keeper.
        assertThat(failure(first, "ALTER TABLE pypi_dist.pypi DELETE WHERE project = 'project-1'")).contains("doesn't support mutations");
        assertThat(failure(first, "ALTER TABLE pypi_local.pypi ON CLUSTER pypi_shards DELETE WHERE project = 'project-1'"))
                .contains("Replicated DDL queries are disabled");
        // The catalog cannot read a Distributed table's layout from it: the local tables' parts, across the cluster, it can.
        assertThat(sql(first, "SELECT sorting_key FROM system.tables WHERE database = 'pypi_dist' AND name = 'pypi_downloads'")).isEmpty();
        assertThat(sql(first, "SELECT sum(rows) FROM clusterAllReplicas('pypi_shards', system.parts) "
                + "WHERE database = 'pypi_local' AND table = 'pypi' AND active")).isEqualTo(String.valueOf(ROWS));
    }

    /**
     * Groups of {@code keys} whose downloads in the aggregate differ from the count over the raw table (both through
     * pypi_dist); a group on one side only counts too (the other side's figure is 0).
     */
    private static long mismatches(EmbeddedEngine engine, String table, String keys) throws IOException, InterruptedException {
        String columns = "(" + keys + ")";
        return Long.parseLong(sql(engine, """
                SELECT count() FROM
                  (SELECT %1$s, sum(count) AS a FROM pypi_dist.`%2$s` GROUP BY %1$s) AS x
                  FULL OUTER JOIN (SELECT %1$s, count() AS b FROM pypi_dist.pypi GROUP BY %1$s) AS y USING %3$s
                WHERE a != b""".formatted(keys, table, columns)));
    }
}
