package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.migrations.SchemaMigrations;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.MigrationProperties;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances migrating one fresh warehouse at the same moment (the start-up path, {@link WarehouseSchema#migrate},
 * each with its own connection and lease holder): every {@code sql/} file is applied once, by one of them, and all
 * three finish with the whole schema there. Without the migrations lease they race: files applied twice, or an
 * instance failing on what another one is creating.
 */
class ConcurrentMigrationsIntegrationTests extends IntegrationTest {

    static final int INSTANCES = 3;

    @Autowired
    ClickHouse appClickHouse;

    @Autowired
    ClickHouseEndpoint endpoint;

    @Autowired
    ClickHouseProperties clickHouseProperties;

    String database;
    String github;

    @BeforeEach
    void freshWarehouse() {
        String id = UUID.randomUUID().toString().replace("-", "");
        database = "concurrent_" + id;
        github = "concurrent_gh_" + id;
        appClickHouse.execute(Sql.of("CREATE DATABASE " + database)).block();
    }

    @AfterEach
    void drop() {
        appClickHouse.execute(Sql.of("DROP DATABASE IF EXISTS " + database)).block();
        appClickHouse.execute(Sql.of("DROP DATABASE IF EXISTS " + github)).block();
    }

    @Test
    void threeInstancesStartedTogetherApplyEachFileOnce() throws Exception {
        MigrationProperties properties = new MigrationProperties(true, "classpath:sql/*.sql", MigrationProperties.OnChangedFile.FAIL,
                Duration.ofSeconds(30), Duration.ofMinutes(5));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        List<Future<SchemaMigrations.Report>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                HttpClickHouse port = HttpClickHouse.administrative(endpoint.withDatabase(database), Duration.ofSeconds(5), Duration.ofMinutes(5));
                WarehouseSchema instance = new WarehouseSchema(port, clickHouseProperties, properties, false,
                        new PathMatchingResourcePatternResolver(), github);
                runs.add(pool.submit(() -> {
                    start.await();
                    return instance.migrate();
                }));
            }
            start.countDown();
            List<String> applied = new ArrayList<>();
            for (Future<SchemaMigrations.Report> run : runs) {
                applied.addAll(run.get(5, TimeUnit.MINUTES).applied());
            }

            List<String> files = sqlFiles();
            // Between them the three applied every file once (whoever held the lease; the others found them applied).
            assertThat(applied).containsExactlyInAnyOrderElementsOf(files);
            HttpClickHouse warehouse = HttpClickHouse.administrative(endpoint.withDatabase(database), Duration.ofSeconds(5), Duration.ofSeconds(30));
            List<String> recorded = warehouse.query(Sql.of("SELECT name FROM schema_migrations ORDER BY name"), row -> row.getString("name"))
                    .collectList().block();
            assertThat(recorded).as("each file recorded once").isEqualTo(files);
            // The schema is whole: the tables the API reads are there.
            assertThat(warehouse.queryOne(Sql.of("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() "
                    + "AND name IN ('pypi', 'pypi_downloads', 'pypi_downloads_per_day', 'projects')"), row -> row.getLong("n")).block()).isEqualTo(4);
            // The lease was given back: a fourth instance now would not wait.
            assertThat(new Lease(warehouse, Lease.MIGRATIONS, Duration.ofSeconds(30), Duration.ZERO).current().live()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> sqlFiles() throws IOException {
        try (Stream<Path> sql = Files.list(Path.of("sql"))) {
            return sql.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted().toList();
        }
    }
}
