package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.DemoDataProperties;
import dev.pypianalytics.config.WarehouseProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * On the first start of the embedded engine (its {@code pypi} table empty), loads the demo data so the
 * API has something to answer; an external warehouse only when {@code pypi.demo.load-when-empty=ALWAYS}.
 */
@Component
class DemoDataOnFirstStart implements InitializingBean {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DemoDataOnFirstStart.class);

    private final DemoDataProperties properties;
    private final DemoData demoData;
    private final boolean embedded;
    private final ClickHouse clickHouse;
    private final boolean attached;

    DemoDataOnFirstStart(DemoDataProperties properties, ClickHouse clickHouse, WarehouseSchema schemaIsReady,
                         ObjectProvider<EmbeddedEngine> embeddedEngine, WarehouseProperties warehouse) {
        this.attached = warehouse.attached();
        this.properties = properties;
        this.demoData = new DemoData(clickHouse);
        this.clickHouse = clickHouse;
        this.embedded = embeddedEngine.getIfAvailable() != null;
    }

    @Override
    public void afterPropertiesSet() {
        if (attached) {
            // Someone else's warehouse is never written to.
            return;
        }
        boolean wanted = switch (properties.loadWhenEmpty()) {
            case ALWAYS -> true;
            case EMBEDDED -> embedded;
            case NEVER -> false;
        };
        if (!wanted) {
            return;
        }
        WarehouseData warehouse = new WarehouseData(clickHouse);
        if (demoData.interrupted()) {
            // Only our own generator wrote here, and it did not finish: start over rather than serve half a data set.
            log.warn("The previous demo data load was interrupted; removing its partial data and generating again");
            warehouse.truncateAll();
        }
        if (warehouse.downloads() == 0) {
            demoData.generate(properties, Progress.to(log));
        }
    }
}
