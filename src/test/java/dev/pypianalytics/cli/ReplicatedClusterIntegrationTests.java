package dev.pypianalytics.cli;

import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

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
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-managed replicated warehouse (issue 18, part 3): one ClickHouse Keeper and two clickhouse-server replicas of
 * one shard (cluster {@code pypi_cluster}), in Docker. {@code migrate --pypi.clickhouse.cluster=pypi_cluster} against the
 * first replica creates the databases ON CLUSTER with the Replicated engine and every table as its Replicated variant;
 * demo data loaded through the first replica is then read on the second: the same rows, its aggregates equal to the
 * same aggregation over its raw table, every migration recorded once on both, and a second {@code migrate} on the
 * second replica has nothing to apply.
 *
 * <p>Runs with {@code -Pclickhouse-server} where Docker exists; anywhere else it is skipped with a message (the
 * embedded engine has no Keeper and no interserver port). The DDL it runs is unit-tested by {@code ClusterDdlTests}.
 */
class ReplicatedClusterIntegrationTests {

    private static final String CLUSTER = "pypi_cluster";
    private static final String USER = "pypi";
    private static final String PASSWORD = "pypi-replicas";
    private static final String KEEPER_IMAGE = TestWarehouse.IMAGE.replace("clickhouse-server", "clickhouse-keeper");

    private static Network network;
    private static GenericContainer<?> keeper;
    private static GenericContainer<?> first;
    private static GenericContainer<?> second;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void cluster() {
        String why = "The replicated cluster (Keeper + two clickhouse-server replicas) runs with -Pclickhouse-server where Docker exists; "
                + (TestWarehouse.testcontainers() ? "Docker is not available here" : "this run uses the embedded engine, which cannot replicate")
                + ", so it is skipped (ClusterDdlTests checks the DDL it would run).";
        if (!TestWarehouse.testcontainers() || !TestWarehouse.dockerAvailable()) {
            System.err.println("SKIPPED: " + why);
        }
        Assumptions.assumeTrue(TestWarehouse.testcontainers() && TestWarehouse.dockerAvailable(), why);
        network = Network.newNetwork();
        keeper = new GenericContainer<>(DockerImageName.parse(KEEPER_IMAGE))
                .withNetwork(network).withNetworkAliases("keeper")
                .withCopyToContainer(Transferable.of(KEEPER_CONFIG), "/etc/clickhouse-keeper/keeper_config.xml")
                .withExposedPorts(9181)
                .waitingFor(Wait.forListeningPort());
        keeper.start();
        first = replica("r1");
        second = replica("r2");
        first.start();
        second.start();
    }

    private static GenericContainer<?> replica(String name) {
        return new GenericContainer<>(DockerImageName.parse(TestWarehouse.IMAGE))
                .withNetwork(network).withNetworkAliases(name)
                .withEnv("CLICKHOUSE_USER", USER).withEnv("CLICKHOUSE_PASSWORD", PASSWORD).withEnv("CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", "1")
                .withCopyToContainer(Transferable.of(serverConfig(name)), "/etc/clickhouse-server/config.d/replica.xml")
                .withExposedPorts(8123)
                .waitingFor(Wait.forHttp("/ping").forPort(8123).withStartupTimeout(Duration.ofMinutes(2)));
    }

    @AfterAll
    static void stop() {
        for (GenericContainer<?> container : new GenericContainer<?>[]{second, first, keeper}) {
            if (container != null) {
                container.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    private static String url(GenericContainer<?> server) {
        return "http://" + server.getHost() + ":" + server.getMappedPort(8123);
    }

    private static CliRun cli(GenericContainer<?> server, String... args) {
        String[] line = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--pypi.clickhouse.url=" + url(server), "--pypi.clickhouse.user=" + USER, "--pypi.clickhouse.password=" + PASSWORD,
                "--pypi.clickhouse.cluster=" + CLUSTER)).toArray(String[]::new);
        return CliRun.of(line);
    }

    /** One statement on one replica over HTTP, its TSV answer trimmed (independent of the gateway's client). */
    private static String sql(GenericContainer<?> server, String statement) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(server) + "/?query=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(2)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(statement + ": " + response.body()).isEqualTo(200);
        return response.body().strip();
    }

    @Test
    void migrationsAndDataReachTheSecondReplica() throws Exception {
        CliRun migrated = cli(first, "migrate");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        CliRun generated = cli(first, "generate", "--rows=50000", "--days=40");
        assertThat(generated.code()).as(generated.err()).isZero();

        // The databases and tables are replicated ones, on both replicas.
        for (GenericContainer<?> server : java.util.List.of(first, second)) {
            assertThat(sql(server, "SELECT engine FROM system.databases WHERE name = 'pypi'")).isEqualTo("Replicated");
            assertThat(sql(server, "SELECT count() FROM system.tables WHERE database = 'pypi' AND engine LIKE '%MergeTree' "
                    + "AND engine NOT LIKE 'Replicated%'")).isEqualTo("0");
        }
        sql(second, "SYSTEM SYNC DATABASE REPLICA pypi");
        for (String table : sql(second, "SELECT name FROM system.tables WHERE database = 'pypi' AND engine LIKE 'Replicated%'").split("\n")) {
            sql(second, "SYSTEM SYNC REPLICA pypi.`" + table + "`");
        }

        // The same rows on both; the second's aggregates equal the same aggregation over its own raw table.
        String rows = sql(first, "SELECT count() FROM pypi.pypi");
        assertThat(Long.parseLong(rows)).isEqualTo(50_000);
        assertThat(sql(second, "SELECT count() FROM pypi.pypi")).isEqualTo(rows);
        assertThat(sql(second, "SELECT project, sum(count) AS n FROM pypi.pypi_downloads GROUP BY project ORDER BY project FORMAT TSV"))
                .isEqualTo(sql(second, "SELECT project, count() AS n FROM pypi.pypi GROUP BY project ORDER BY project FORMAT TSV"));
        assertThat(sql(second, "SELECT project, date, sum(count) AS n FROM pypi.pypi_downloads_per_day GROUP BY project, date "
                + "ORDER BY project, date FORMAT TSV"))
                .isEqualTo(sql(second, "SELECT project, date, count() AS n FROM pypi.pypi GROUP BY project, date ORDER BY project, date FORMAT TSV"));

        // Every migration file recorded once on both replicas; migrate on the second has nothing to apply.
        long files;
        try (var list = Files.list(Path.of("sql"))) {
            files = list.filter(file -> file.getFileName().toString().endsWith(".sql")).count();
        }
        for (GenericContainer<?> server : java.util.List.of(first, second)) {
            assertThat(Long.parseLong(sql(server, "SELECT count() FROM pypi.schema_migrations"))).isEqualTo(files);
        }
        CliRun again = cli(second, "migrate");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("The schema is up to date: nothing to apply.");
    }

    private static final String KEEPER_CONFIG = """
            <clickhouse>
              <listen_host>0.0.0.0</listen_host>
              <logger><level>information</level><console>1</console></logger>
              <keeper_server>
                <tcp_port>9181</tcp_port>
                <server_id>1</server_id>
                <log_storage_path>/var/lib/clickhouse-keeper/coordination/log</log_storage_path>
                <snapshot_storage_path>/var/lib/clickhouse-keeper/coordination/snapshots</snapshot_storage_path>
                <raft_configuration><server><id>1</id><hostname>keeper</hostname><port>9234</port></server></raft_configuration>
              </keeper_server>
            </clickhouse>
            """;

    private static String serverConfig(String name) {
        return """
                <clickhouse>
                  <interserver_http_host>%s</interserver_http_host>
                  <macros><shard>01</shard><replica>%s</replica></macros>
                  <zookeeper><node><host>keeper</host><port>9181</port></node></zookeeper>
                  <remote_servers>
                    <%s>
                      <shard>
                        <internal_replication>true</internal_replication>
                        <replica><host>r1</host><port>9000</port><user>%s</user><password>%s</password></replica>
                        <replica><host>r2</host><port>9000</port><user>%s</user><password>%s</password></replica>
                      </shard>
                    </%s>
                  </remote_servers>
                </clickhouse>
                """.formatted(name, name, CLUSTER, USER, PASSWORD, USER, PASSWORD, CLUSTER);
    }
}
