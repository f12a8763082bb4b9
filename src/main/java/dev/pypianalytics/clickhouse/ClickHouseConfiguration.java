package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.clickhouse.embedded.EnginePackage;
import dev.pypianalytics.clickhouse.embedded.EngineConfig;
import dev.pypianalytics.clickhouse.embedded.RestartBackoff;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.EmbeddedEngineProperties;
import dev.pypianalytics.config.MigrationProperties;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.config.WarehouseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.List;
import java.util.function.BooleanSupplier;

/** Wires the ClickHouse port to an external server or, by default, to the embedded engine. */
@Configuration(proxyBeanMethods = false)
class ClickHouseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseConfiguration.class);

    /** Matches when no external server is configured: the embedded engine is then the warehouse. */
    static final class EmbeddedEngineSelected implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getEnvironment().getProperty("pypi.clickhouse.url", "").isBlank();
        }
    }

    @Bean(destroyMethod = "close")
    @Conditional(EmbeddedEngineSelected.class)
    EmbeddedEngine embeddedEngine(EmbeddedEngineProperties properties, ClickHouseProperties clickHouse, WarehouseProperties warehouse,
                                  GithubProperties github) {
        if (warehouse.attached()) {
            // The embedded engine is the gateway's own warehouse by definition: nothing to attach to.
            throw new IllegalStateException("pypi.warehouse.mode=ATTACHED reads someone else's warehouse: set pypi.clickhouse.url "
                    + "(and user/password) to it, e.g. https://sql-clickhouse.clickhouse.com:443 with user demo (see README)");
        }
        EnginePackage.Platform platform = properties.enginePackage() == null || properties.enginePackage().isBlank()
                ? EnginePackage.Platform.current()
                : new EnginePackage.Platform(properties.enginePackage(), "libchdb.so");
        EnginePackage enginePackage = new EnginePackage(platform, properties.engineVersion(), properties.engineIntegrity(),
                properties.cacheDir(), properties.npmCommand(), properties.fetchTimeout());
        return new EmbeddedEngine(enginePackage.library(), properties.dataDir(), properties.port(),
                properties.startupTimeout(), properties.stopTimeout(),
                new RestartBackoff(properties.restartBackoff(), properties.restartBackoffMax()),
                EmbeddedEngine.hostCommandForThisJvm(properties.hostHeap()), apiUser(clickHouse, github)).start();
    }

    /** The embedded engine's read-only API user: a new random password each run, never written in clear. */
    private static EngineConfig apiUser(ClickHouseProperties clickHouse, GithubProperties github) {
        String name = clickHouse.api().configured() ? clickHouse.api().user() : ClickHouseProperties.ApiUser.EMBEDDED_DEFAULT;
        // The profile's bound on max_execution_time leaves room for the port's own (the request timeout).
        long maxSeconds = Math.max(60, clickHouse.queryTimeout().toSeconds() * 2);
        return EngineConfig.withRandomPassword(name, clickHouse.database(), maxSeconds, List.of(github.database()));
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

    /**
     * The HTTP interface as the read-only API user (the main credentials when none is configured), every
     * statement {@code readonly = 2}: under the API's port (which adds the result cache, see
     * {@code downloads.ApiReadsConfiguration}).
     */
    @Bean
    HttpClickHouse apiHttpClickHouse(ClickHouseEndpoint endpoint, ClickHouseProperties properties, ObjectProvider<EmbeddedEngine> embedded,
                                 WarehouseProperties warehouse, ApplicationContext context) {
        EmbeddedEngine engine = embedded.getIfAvailable();
        ClickHouseEndpoint api = endpoint;
        if (engine != null && engine.config() != null) {
            api = endpoint.withCredentials(engine.config().user(), engine.config().password());
        } else if (properties.api().configured()) {
            api = endpoint.withCredentials(properties.api().user(), properties.api().password());
        } else if (context instanceof ReactiveWebApplicationContext && !warehouse.attached()) {
            // Only a serving gateway has API queries to warn about (not the CLI).
            log.warn("API queries run as the administrative ClickHouse user {} (read-only per statement). Set "
                    + "pypi.clickhouse.api.user/password to a user that may only read the warehouse; see README.", endpoint.user());
        }
        // While the embedded engine restarts, API statements fail at once instead of going to its port.
        BooleanSupplier sendable = engine == null ? () -> true : () -> engine.state().status() == EmbeddedEngine.Status.RUNNING;
        return new HttpClickHouse(new ClickHouseHttp(api, properties.connectTimeout()), properties.queryTimeout(), true,
                properties.api().settings(), sendable, warehouse.maxConcurrentStatements(), properties.api().batch());
    }

    /** Kills a cancelled request's statements, as the main user (API users may be read-only). */
    @Bean
    QueryKiller queryKiller(ClickHouse clickHouse) {
        return new QueryKiller(clickHouse);
    }

    /** The port as the main user (migrations, ingestion, demo data, the CLI): the unqualified {@link ClickHouse}. */
    @Bean
    @Primary
    ClickHouse clickHouse(ClickHouseEndpoint endpoint, ClickHouseProperties properties) {
        return new Administrative(HttpClickHouse.administrative(endpoint, properties.connectTimeout(), properties.queryTimeout()));
    }

    /**
     * The administrative instance of the port, seen only as {@link ClickHouse}: the beans that take the API's
     * {@link HttpClickHouse} by its type must not find a second one.
     */
    record Administrative(HttpClickHouse port) implements ClickHouse {

        @Override
        public <T> reactor.core.publisher.Flux<T> query(Sql sql, java.util.function.Function<ResultRow, T> mapper) {
            return port.query(sql, mapper);
        }

        @Override
        public reactor.core.publisher.Mono<Void> execute(Sql sql) {
            return port.execute(sql);
        }

        @Override
        public reactor.core.publisher.Mono<byte[]> load(Sql sql, String queryId, Body body) {
            return port.load(sql, queryId, body);
        }

        @Override
        public byte[] loadAndWait(Sql sql, String queryId, Body body) {
            return port.loadAndWait(sql, queryId, body);
        }

        @Override
        public reactor.core.publisher.Mono<Void> kill(java.util.Collection<String> queryIds) {
            return port.kill(queryIds);
        }
    }

    @Bean
    WarehouseSchema warehouseSchema(ClickHouse clickHouse, ClickHouseProperties clickHouseProperties,
                                    MigrationProperties migrationProperties, WarehouseProperties warehouse,
                                    ResourcePatternResolver resources, GithubProperties github) {
        return new WarehouseSchema(((Administrative) clickHouse).port(), clickHouseProperties, migrationProperties, warehouse.attached(),
                resources, github.database());
    }

    @Bean
    ClickHouseHealthIndicator clickHouseHealthIndicator(ClickHouse clickHouse, HttpClickHouse apiHttpClickHouse, ClickHouseEndpoint endpoint,
                                                        ObjectProvider<EmbeddedEngine> embedded, WarehouseProperties warehouse) {
        // An attached warehouse's user may refuse the settings the driver sends with each statement (readonly = 1):
        // checked through the port that adapts to it.
        return new ClickHouseHealthIndicator(warehouse.attached() ? apiHttpClickHouse : clickHouse, endpoint, embedded.getIfAvailable());
    }
}
