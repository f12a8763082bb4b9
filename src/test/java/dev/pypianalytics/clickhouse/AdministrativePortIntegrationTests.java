package dev.pypianalytics.clickhouse;

import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

/** The port as the main user (migrations, ingestion, demo data, the CLI) keeps the port's contract. */
class AdministrativePortIntegrationTests extends ClickHousePortContract {

    @Autowired
    ClickHouse admin;

    @Override
    ClickHouse port() {
        return admin;
    }

    @Override
    ClickHouse at(ClickHouseEndpoint nowhere) {
        return HttpClickHouse.administrative(nowhere, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
