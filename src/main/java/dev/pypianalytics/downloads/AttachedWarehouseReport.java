package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.downloads.catalog.WarehouseCatalog;
import dev.pypianalytics.github.GithubRepositories;
import dev.pypianalytics.planner.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Once the gateway is up on an attached warehouse, says what it found there: the tables it plans with and
 * their sizes, the raw table's size, the days with data, and what the API can and cannot answer from them.
 * Reads only; a warehouse that cannot be reached yet is reported as such (the API answers UNAVAILABLE until
 * it can be).
 */
@Component
class AttachedWarehouseReport {

    private static final Logger log = LoggerFactory.getLogger(AttachedWarehouseReport.class);

    private final WarehouseProperties warehouse;
    private final WarehouseCatalog catalog;
    private final WarehouseCapabilities capabilities;
    private final DataVersion versions;
    private final HttpClickHouse clickHouse;
    private final GithubRepositories github;

    AttachedWarehouseReport(WarehouseProperties warehouse, WarehouseCatalog catalog, WarehouseCapabilities capabilities,
                            DataVersion versions, HttpClickHouse clickHouse, GithubRepositories github) {
        this.warehouse = warehouse;
        this.catalog = catalog;
        this.capabilities = capabilities;
        this.versions = versions;
        this.clickHouse = clickHouse;
        this.github = github;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        if (!warehouse.attached()) {
            return;
        }
        Mono.zip(catalog.catalog(), capabilities.current(), versions.current(), github.available().onErrorReturn(false))
                .timeout(Duration.ofSeconds(60))
                .subscribe(all -> {
                    var tables = all.getT1();
                    var can = all.getT2();
                    var days = all.getT3();
                    String aggregates = tables.aggregates().stream().sorted(Comparator.comparing(TableSpec::name))
                            .map(table -> String.format(Locale.ROOT, "%s (%,d rows)", table.name(), table.rows()))
                            .collect(Collectors.joining(", "));
                    log.info("Attached warehouse {} (read-only): {} aggregate tables: {}; raw table {} ~{} rows (never scanned); "
                                    + "downloads from {} to {}",
                            clickHouse.endpoint().describe(), tables.aggregates().size(), aggregates, tables.raw().name(),
                            String.format(Locale.ROOT, "%,d", tables.raw().rows()), days.firstDay(), days.lastDay());
                    log.info("The API can answer: filters and breakdowns by {} (all time), {} (with dates or by day); CI filter: {}; "
                                    + "completeness checks: {}; GitHub repositories: {}; results per statement: {}",
                            can.dimensions(), can.dailyDimensions(), can.ciFilter() ? "yes" : "no (the warehouse keeps no ci)",
                            can.freshnessChecks() ? "yes" : "no (no freshness records)",
                            all.getT4() ? "yes" : "no (no GitHub events in the warehouse)",
                            can.maxResultRows() == null ? "unlimited" : "at most " + can.maxResultRows() + " (longer answers are read in pages of that size, never cut)");
                }, failure -> log.warn("Attached warehouse {} could not be read yet: {}", clickHouse.endpoint().describe(),
                        failure.getMessage()));
    }
}
