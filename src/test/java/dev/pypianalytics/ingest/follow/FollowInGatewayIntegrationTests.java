package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.Lease;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's follower as configuration turns it on: off by default, refused on an attached warehouse
 * or a missing folder, and with {@code pypi.follow.directory} set it loads what lands there and shows it
 * in the Prometheus metrics. A small context of just the follower, on the suite's engine.
 */
class FollowInGatewayIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    WarehouseSchema schema;

    @TempDir
    Path dir;

    @EnableConfigurationProperties({FollowProperties.class, WarehouseProperties.class, ClickHouseProperties.class})
    static class Settings {
    }

    ApplicationContextRunner gateway(PrometheusMeterRegistry meters) {
        return new ApplicationContextRunner()
                .withBean(ClickHouse.class, () -> clickHouse)
                .withBean(WarehouseSchema.class, () -> schema)
                .withBean(MeterRegistry.class, () -> meters)
                .withUserConfiguration(Settings.class, FollowInGateway.class)
                .withPropertyValues("pypi.follow.poll-interval=20ms", "pypi.follow.quiet-period=0s", "pypi.follow.lease-settle=20ms");
    }

    @Test
    void followingIsOffUnlessAFolderIsSet() {
        gateway(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FollowInGateway.class).follower()).isNull();
            assertThat(context.getBean(FollowInGateway.class).isRunning()).isFalse();
        });
    }

    @Test
    void anAttachedWarehouseOrAMissingFolderIsRefusedAtStartUp() {
        gateway(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withPropertyValues("pypi.follow.directory=" + dir, "pypi.warehouse.mode=ATTACHED")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("pypi.warehouse.mode=ATTACHED").hasMessageContaining("pypi.follow.directory"));
        gateway(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withPropertyValues("pypi.follow.directory=" + dir.resolve("absent"))
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("does not exist"));
    }

    @Test
    void aConfiguredFolderIsFollowedAndMetered() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gateway(meters).withPropertyValues("pypi.follow.directory=" + dir).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FollowInGateway.class).isRunning()).isTrue();
            ExportFiles.write(clickHouse, ExportFiles.select("it-follow-gateway-", "2016-08-01", 250), "Parquet", dir.resolve("2016-08-01.parquet"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            String query = "SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-follow-gateway-')";
            while (WarehouseTruth.count(clickHouse, query) < 250 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(WarehouseTruth.count(clickHouse, query)).isEqualTo(250);
            // The counters move after the load's records are written: wait for them too.
            while (!meters.scrape().contains("pypi_ingest_rows_total 250.0") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(meters.scrape())
                    .contains("pypi_ingest_files_total{outcome=\"loaded\"} 1.0")
                    .contains("pypi_ingest_files_total{outcome=\"quarantined\"} 0.0")
                    .contains("pypi_ingest_rows_total 250.0")
                    .containsPattern("pypi_ingest_lag_seconds [0-9.E]+");
        });
        // Stopped with its context: the lease is given up at once.
        Lease.Holder holder = new Lease(clickHouse, Lease.FOLLOW, Duration.ofSeconds(1), Duration.ZERO).current();
        assertThat(holder).isNotNull();
        assertThat(holder.live()).isFalse();
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
    }
}
