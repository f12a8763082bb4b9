package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.clickhouse.embedded.EnginePackage;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.EmbeddedEngineProperties;
import dev.pypianalytics.config.MigrationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Wires the ClickHouse port to an external server or, by default, to the embedded engine. */
@Configuration(proxyBeanMethods = false)
class ClickHouseConfiguration {

    /** Matches when no external server is configured: the embedded engine is then the warehouse. */
    static final class EmbeddedEngineSelected implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getEnvironment().getProperty("pypi.clickhouse.url", "").isBlank();
        }
    }

    @Bean(destroyMethod = "close")
    @Conditional(EmbeddedEngineSelected.class)
    EmbeddedEngine embeddedEngine(EmbeddedEngineProperties properties) {
        EnginePackage.Platform platform = properties.enginePackage() == null || properties.enginePackage().isBlank()
                ? EnginePackage.Platform.current()
                : new EnginePackage.Platform(properties.enginePackage(), "libchdb.so");
        EnginePackage enginePackage = new EnginePackage(platform, properties.engineVersion(), properties.engineIntegrity(),
                properties.cacheDir(), properties.npmCommand(), properties.fetchTimeout());
        return new EmbeddedEngine(enginePackage.library(), properties.dataDir(), properties.port(),
                properties.startupTimeout(), properties.maxRestarts(),
                EmbeddedEngine.hostCommandForThisJvm(properties.hostHeap())).start();
    }

    @Bean
    ClickHouseEndpoint clickHouseEndpoint(ClickHouseProperties properties, ObjectProvider<EmbeddedEngine> embedded) {
        EmbeddedEngine engine = embedded.getIfAvailable();
        if (engine != null) {
            // The embedded engine listens on loopback only, as its built-in passwordless default user.
            return new ClickHouseEndpoint(engine.url(), "default", "", properties.database(), properties.options());
        }
        return new ClickHouseEndpoint(properties.url(), properties.user(), properties.password(), properties.database(),
                properties.options());
    }

    @Bean
    R2dbcClickHouse clickHouse(ClickHouseEndpoint endpoint, ClickHouseProperties properties) {
        return new R2dbcClickHouse(endpoint, properties.connectTimeout(), properties.queryTimeout());
    }

    @Bean
    WarehouseSchema warehouseSchema(R2dbcClickHouse clickHouse, ClickHouseProperties clickHouseProperties,
                                    MigrationProperties migrationProperties, ResourcePatternResolver resources) {
        return new WarehouseSchema(clickHouse, clickHouseProperties, migrationProperties, resources);
    }

    @Bean
    ClickHouseHealthIndicator clickHouseHealthIndicator(ClickHouse clickHouse, ClickHouseEndpoint endpoint,
                                                        ObjectProvider<EmbeddedEngine> embedded) {
        return new ClickHouseHealthIndicator(clickHouse, endpoint, embedded.getIfAvailable());
    }
}
