package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Whether a project exists, from the per-project aggregate {@code pypi_downloads} (one row per project
 * after merges). Download figures come from {@link Downloads}.
 */
@Service
public class ProjectDownloads {

    private final ClickHouse clickHouse;

    public ProjectDownloads(@ApiReads ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Whether the warehouse has any download of this (normalized) project. */
    public Mono<Boolean> exists(String project) {
        return clickHouse.queryOne(Sql.of("SELECT count() > 0 AS found FROM pypi_downloads WHERE project = :project")
                        .bind("project", project), row -> row.getLong("found") == 1)
                .defaultIfEmpty(false);
    }
}
