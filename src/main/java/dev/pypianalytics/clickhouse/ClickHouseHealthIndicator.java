package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * {@code clickHouse} in {@code /actuator/health}: UP when a query round-trips; details say which
 * server (never its password), its version and, for the embedded engine, its process state (DOWN,
 * with the failed attempts so far, while a dead engine is being restarted).
 */
class ClickHouseHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final ClickHouse clickHouse;
    private final ClickHouseEndpoint endpoint;
    private final EmbeddedEngine engine;

    ClickHouseHealthIndicator(ClickHouse clickHouse, ClickHouseEndpoint endpoint, EmbeddedEngine engine) {
        this.clickHouse = clickHouse;
        this.endpoint = endpoint;
        this.engine = engine;
    }

    @Override
    public Mono<Health> health() {
        Health.Builder base = Health.unknown()
                .withDetail("mode", engine != null ? "embedded" : "external")
                .withDetail("endpoint", endpoint.describe());
        if (engine != null) {
            EmbeddedEngine.State state = engine.state();
            base.withDetail("engine", state.status())
                    .withDetail("pid", state.pid())
                    .withDetail("dataDir", state.dataDir().toString())
                    .withDetail("restarts", state.restarts());
            if (state.lastFailure() != null) {
                base.withDetail("lastFailure", state.lastFailure());
            }
            if (state.status() == EmbeddedEngine.Status.RESTARTING) {
                // Restarts go on until the engine runs again: say how far along that is.
                base.withDetail("failedRestarts", state.failedRestarts());
                if (state.restartDelay() != null) {
                    base.withDetail("nextRestartIn", state.restartDelay().toString());
                }
            }
            if (state.status() != EmbeddedEngine.Status.RUNNING) {
                return Mono.just(base.down().build());
            }
        }
        return clickHouse.queryOne(Sql.of("SELECT version() AS version").withTimeout(CHECK_TIMEOUT), row -> row.getString("version"))
                .map(version -> base.up().withDetail("version", version).build())
                .onErrorResume(error -> Mono.just(base.down()
                        .withDetail("error", error instanceof ClickHouseException ch ? ch.kind().name() : "ERROR")
                        .build()));
    }
}
