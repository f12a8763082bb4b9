package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.EmbeddedEngineProperties;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.config.MigrationProperties;
import dev.pypianalytics.config.WarehouseProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.Banner;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotationMetadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands' Spring context: the ClickHouse port (external server, or the embedded engine started or found
 * running), the schema brought up to date, leftover working tables swept, and the pypi.* settings the commands read.
 * Nothing else: no auto-configuration, no web server, GraphQL, API, caches, metrics registry, health, follower,
 * healer or demo loader — the gateway's context ({@code PypiGatewayApplication}) has those; a command needs none.
 * Beans are created lazily except those that do their work at start (schema migrations, the sweep).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ClickHouseProperties.class, EmbeddedEngineProperties.class, WarehouseProperties.class,
        MigrationProperties.class, GithubProperties.class, IngestProperties.class, FollowProperties.class})
@Import(CliContext.WarehouseBeans.class)
class CliContext {

    /**
     * The gateway's own wiring of the port and the schema ({@code clickhouse.ClickHouseConfiguration}) and its sweep of
     * leftover working tables ({@code ingest.StageSweepOnStart}): package-private where they are, so named here.
     */
    static final class WarehouseBeans implements ImportSelector {
        @Override
        public String[] selectImports(AnnotationMetadata metadata) {
            return new String[] {"dev.pypianalytics.clickhouse.ClickHouseConfiguration", "dev.pypianalytics.ingest.StageSweepOnStart"};
        }
    }

    /** Lazy, except beans that work at start-up: the schema (migrations) and the sweep must run before a command. */
    @Bean
    static LazyInitializationExcludeFilter workAtStartUp() {
        return (name, definition, type) -> type != null && InitializingBean.class.isAssignableFrom(type);
    }

    /** Starts the context on the configured (or already running) ClickHouse; {@code springArguments} are {@code --pypi.*} etc. */
    static ConfigurableApplicationContext start(List<String> springArguments) {
        return new SpringApplicationBuilder(CliContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .lazyInitialization(true)
                // Below everything else, so a --logging.level.* argument of the user's wins.
                .properties(Map.of("logging.level.root", "WARN", "logging.level.dev.pypianalytics", "WARN"))
                .listeners(event -> {
                    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                        // The follow command follows in the foreground with the source it is given, whatever pypi.follow.* names.
                        Map<String, Object> overrides = new LinkedHashMap<>();
                        overrides.put("pypi.follow.directory", "");
                        overrides.put("pypi.follow.url", "");
                        overrides.put("pypi.follow.manifest", "");
                        overrides.put("pypi.follow.object-storage-queue.path", "");
                        prepared.getEnvironment().getPropertySources().addFirst(new MapPropertySource("cli", overrides));
                        useRunningEngine(prepared);
                    }
                })
                .run(springArguments.toArray(String[]::new));
    }

    /** With no external server configured and a gateway already running the embedded engine here, use that engine. */
    private static void useRunningEngine(ApplicationEnvironmentPreparedEvent event) {
        Binder binder = Binder.get(event.getEnvironment());
        String url = binder.bind("pypi.clickhouse.url", String.class).orElse("");
        if (!url.isBlank()) {
            return;
        }
        EmbeddedEngineProperties engine = binder.bindOrCreate("pypi.embedded", EmbeddedEngineProperties.class);
        EmbeddedEngine.runningOn(engine.dataDir()).ifPresent(running -> event.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("running-embedded-engine", Map.of("pypi.clickhouse.url", running.toString()))));
    }
}
