package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.DemoDataProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * On the first start of the embedded engine (its {@code pypi} table empty), loads the demo data so the
 * API has something to answer; an external warehouse only when {@code pypi.demo.load-when-empty=ALWAYS}.
 */
@Component
class DemoDataOnFirstStart implements InitializingBean {

    private final DemoDataProperties properties;
    private final DemoData demoData;
    private final boolean embedded;

    DemoDataOnFirstStart(DemoDataProperties properties, ClickHouse clickHouse, WarehouseSchema schemaIsReady,
                         ObjectProvider<EmbeddedEngine> embeddedEngine) {
        this.properties = properties;
        this.demoData = new DemoData(clickHouse);
        this.embedded = embeddedEngine.getIfAvailable() != null;
    }

    @Override
    public void afterPropertiesSet() {
        boolean wanted = switch (properties.loadWhenEmpty()) {
            case ALWAYS -> true;
            case EMBEDDED -> embedded;
            case NEVER -> false;
        };
        if (wanted && demoData.warehouseIsEmpty()) {
            demoData.generate(properties);
        }
    }
}
