package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.List;

/** Projects whose name starts with a prefix, most downloaded first, in keyset-paginated pages. */
@Service
public class ProjectSearch {

    /** A project and its all-time downloads: also the position a page continues after. */
    public record Hit(String project, long downloads) {
    }

    private final ClickHouse clickHouse;

    public ProjectSearch(@ApiReads ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /**
     * Up to {@code count} projects starting with {@code prefix} (normalized), after {@code after} in the
     * order downloads descending, name ascending.
     */
    public Mono<List<Hit>> page(String prefix, Hit after, int count) {
        Sql sql = Sql.of("SELECT project, sum(count) AS downloads FROM pypi_downloads WHERE startsWith(project, {prefix:String}) "
                + "GROUP BY project HAVING downloads != 0"
                + (after == null ? "" : " AND (downloads < {afterDownloads:Int64} OR (downloads = {afterDownloads:Int64} AND project > {afterProject:String}))")
                + " ORDER BY downloads DESC, project LIMIT {count:UInt64}").bind("prefix", prefix).bind("count", (long) count);
        if (after != null) {
            sql = sql.bind("afterDownloads", after.downloads()).bind("afterProject", after.project());
        }
        return clickHouse.query(sql, row -> new Hit(row.getString("project"), row.getLong("downloads"))).collectList();
    }
}
