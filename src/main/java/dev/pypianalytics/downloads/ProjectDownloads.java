package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Per-project download figures, read from the per-project aggregate {@code pypi_downloads} (one row per
 * project after merges) rather than the raw table. The query planner (a later step) generalizes this to
 * any shape of question; this is the first, fixed route.
 */
@Service
public class ProjectDownloads {

    private final ClickHouse clickHouse;

    public ProjectDownloads(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Whether the warehouse has any download of this (normalized) project. */
    public Mono<Boolean> exists(String project) {
        return clickHouse.queryOne(Sql.of("SELECT count() > 0 AS found FROM pypi_downloads WHERE project = :project")
                        .bind("project", project), row -> row.getLong("found") == 1)
                .defaultIfEmpty(false);
    }

    /** All-time downloads of the project; 0 for one without downloads. */
    public Mono<Long> total(String project) {
        return clickHouse.queryOne(Sql.of("SELECT sum(count) AS downloads FROM pypi_downloads WHERE project = :project")
                        .bind("project", project), row -> row.getLong("downloads"))
                .defaultIfEmpty(0L);
    }
}
