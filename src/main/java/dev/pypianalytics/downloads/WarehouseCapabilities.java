package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.UserProfile;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.planner.Catalog;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.TimeKey;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * What the warehouse can answer, for clients to ask up front (and for the start-up report): derived from the
 * planner's catalog (which dimensions some aggregate keeps, for all time and by day), whether the raw table
 * may be scanned, whether days are checked for completeness, and the connection user's own result limit.
 */
@Service
public class WarehouseCapabilities {

    /**
     * @param dimensions      dimensions filters and breakdowns can use for all-time figures
     * @param dailyDimensions dimensions they can use with dates or in series by day or week
     * @param rawScans        whether questions no aggregate covers are answered from the raw table
     * @param freshnessChecks whether days are checked for completeness (last complete day, gaps)
     * @param maxResultRows   the most rows one statement may return and be known whole, {@code null} = no limit
     */
    public record Answer(WarehouseProperties.Mode mode, Set<Dimension> dimensions, Set<Dimension> dailyDimensions,
                         boolean rawScans, boolean freshnessChecks, Long maxResultRows) {

        public boolean ciFilter() {
            return dailyDimensions.contains(Dimension.CI) || dimensions.contains(Dimension.CI);
        }
    }

    private final WarehouseCatalog catalog;
    private final HttpClickHouse clickHouse;
    private final WarehouseProperties warehouse;
    private final WarehouseStats stats;

    public WarehouseCapabilities(WarehouseCatalog catalog, HttpClickHouse clickHouse, WarehouseProperties warehouse, WarehouseStats stats) {
        this.catalog = catalog;
        this.clickHouse = clickHouse;
        this.warehouse = warehouse;
        this.stats = stats;
    }

    public Mono<Answer> current() {
        return Mono.zip(catalog.catalog(), clickHouse.profile()).map(both -> answer(both.getT1(), both.getT2()));
    }

    private Answer answer(Catalog tables, UserProfile user) {
        return new Answer(warehouse.mode(), tables.dimensions(TimeKey.NONE), tables.dimensions(TimeKey.DAY), tables.rawScans(),
                stats.checksFreshness(), user.wholeRows() == Long.MAX_VALUE ? null : user.wholeRows());
    }
}
