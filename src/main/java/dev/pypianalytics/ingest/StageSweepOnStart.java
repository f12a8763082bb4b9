package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.config.WarehouseProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * At start-up on an owned warehouse, drops the working tables ({@code ingest_stage_*}) that killed loads left
 * behind ({@link Stage#sweep}). When this process has just started the embedded engine, no other load can be
 * using one, so all idle ones go; on a shared server only those untouched for {@code pypi.ingest.stage-sweep-after}.
 */
@Component
class StageSweepOnStart implements InitializingBean {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StageSweepOnStart.class);

    private final ClickHouse clickHouse;
    private final boolean attached;
    private final Duration untouchedFor;

    StageSweepOnStart(ClickHouse clickHouse, WarehouseSchema schemaIsReady, WarehouseProperties warehouse, IngestProperties properties,
                      ObjectProvider<EmbeddedEngine> embeddedEngine) {
        this.clickHouse = clickHouse;
        this.attached = warehouse.attached();
        this.untouchedFor = properties.sweepAfter(embeddedEngine.getIfAvailable() != null);
    }

    @Override
    public void afterPropertiesSet() {
        if (attached) {
            return; // someone else's warehouse is never written to
        }
        try {
            List<String> dropped = Stage.sweep(clickHouse, untouchedFor);
            if (!dropped.isEmpty()) {
                log.info("Dropped {} working table(s) left by interrupted loads: {}", dropped.size(), dropped);
            }
        } catch (RuntimeException e) {
            log.warn("Could not sweep leftover working tables (ingest_stage_*): {}", e.getMessage());
        }
    }
}
