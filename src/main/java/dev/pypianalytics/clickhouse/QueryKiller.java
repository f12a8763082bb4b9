package dev.pypianalytics.clickhouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Stops queries in the engine by their exact ids ({@link ClickHouse#kill}), as the main user: what a
 * cancelled API request asks for its statements that are still running. The ports also abort their HTTP
 * requests, and ClickHouse cancels a read-only query whose client went away; killing by id covers
 * statements whose cancellation crossed their start and servers that only notice a closed client late.
 */
public final class QueryKiller {

    private static final Logger log = LoggerFactory.getLogger(QueryKiller.class);

    private final ClickHouse clickHouse;

    /** @param clickHouse the port as the main user (an API user may be read-only: no kills) */
    public QueryKiller(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Asks the engine to stop these queries (those already finished are ignored); never fails. */
    public Mono<Void> kill(List<String> queryIds) {
        if (queryIds.isEmpty()) {
            return Mono.empty();
        }
        return clickHouse.kill(queryIds)
                .doOnError(e -> log.debug("Could not kill queries {}: {}", queryIds, e.getMessage()))
                .onErrorResume(e -> Mono.empty());
    }
}
