package dev.pypianalytics.downloads.catalog;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the catalog reads out of system.tables' text: sorting keys, and the views that keep only some downloads. */
class WarehouseCatalogTests {

    @Test
    void sortingKeysAreReadAsColumnsLeavingExpressionsOut() {
        assertThat(WarehouseCatalog.sortingColumns("project, version, date, installer")).containsExactly("project", "version", "date", "installer");
        assertThat(WarehouseCatalog.sortingColumns("month, project")).containsExactly("month", "project");
        assertThat(WarehouseCatalog.sortingColumns("project, toStartOfMonth(date)")).containsExactly("project");
        assertThat(WarehouseCatalog.sortingColumns("")).isEmpty();
    }

    @Test
    void aTableFilledByAViewWithAWhereClauseIsPartial() {
        // As system.tables shows a ClickPy-style view keeping only recent months, and an unfiltered one.
        Map<String, String> views = Map.of(
                "pypi_downloads_per_month_mv", "CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_month_mv TO pypi.pypi_downloads_per_month "
                        + "(`month` Date, `project` String, `count` Int64) AS SELECT toStartOfMonth(date) AS month, project, count() AS count "
                        + "FROM pypi.pypi WHERE date > (toStartOfMonth(now()) - toIntervalMonth(6)) GROUP BY month, project",
                "pypi_downloads_mv", "CREATE MATERIALIZED VIEW pypi.pypi_downloads_mv TO pypi.pypi_downloads (`project` String, `count` Int64) "
                        + "AS SELECT project, count() AS count FROM pypi.pypi GROUP BY project",
                "quoted_mv", "CREATE MATERIALIZED VIEW `db`.`quoted_mv` TO `db`.`recent` AS SELECT project, count() AS count FROM db.pypi "
                        + "where date > today() - 7 GROUP BY project");
        assertThat(WarehouseCatalog.partiallyFed(views)).containsExactlyInAnyOrder("pypi_downloads_per_month", "recent");
    }
}
