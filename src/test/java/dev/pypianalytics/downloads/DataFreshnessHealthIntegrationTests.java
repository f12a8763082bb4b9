package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dataFreshness} health check on the suite's (old) demo data with thresholds around its real lag (from
 * the raw table), without a second application context: the indicator is built over the context's own beans.
 */
class DataFreshnessHealthIntegrationTests extends IntegrationTest {

    @Autowired
    DataVersion version;

    @Autowired
    WarehouseStats stats;

    @Autowired
    @ApiReads
    ClickHouse api;

    @Autowired
    ClickHouse clickHouse;

    Health health(Duration warnAfter, Duration downAfter) {
        DataFreshness freshness = new DataFreshness(version, stats, api, false, null, new DataLag(null, warnAfter, downAfter),
                Clock.systemUTC());
        return new DataFreshnessHealthIndicator(stats, freshness).health().block();
    }

    @Test
    void warnAndDownPastTheirThresholds() {
        String lastDay = clickHouse.queryOne(Sql.of("SELECT toString(max(date)) AS v FROM pypi"), row -> row.getString("v")).block();
        long lag = Instant.now().getEpochSecond() - LocalDate.parse(lastDay).plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        Duration under = Duration.ofSeconds(lag - 3600);
        Duration over = Duration.ofSeconds(lag + 3600);

        assertThat(health(null, null).getStatus()).isEqualTo(Status.UP);
        assertThat(health(over, null).getStatus()).isEqualTo(Status.UP);
        Health warn = health(under, over);
        assertThat(warn.getStatus()).isEqualTo(DataFreshnessHealthIndicator.WARN);
        assertThat(warn.getDetails()).containsEntry("lastDay", lastDay).containsEntry("warnAfterSeconds", under.toSeconds());
        assertThat((Long) warn.getDetails().get("lagSeconds")).isBetween(lag - 60, lag + 60);
        assertThat(health(under, under).getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(null, under).getStatus()).isEqualTo(Status.DOWN);
    }
}
