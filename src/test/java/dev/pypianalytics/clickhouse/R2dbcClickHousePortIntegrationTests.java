package dev.pypianalytics.clickhouse;

import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

/** The r2dbc port (migrations, ingestion, demo data) keeps the port's contract. */
class R2dbcClickHousePortIntegrationTests extends ClickHousePortContract {

    @Autowired
    R2dbcClickHouse r2dbc;

    @Override
    ClickHouse port() {
        return r2dbc;
    }

    @Override
    ClickHouse at(ClickHouseEndpoint nowhere) {
        return new R2dbcClickHouse(nowhere, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
