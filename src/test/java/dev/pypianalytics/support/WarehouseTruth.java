package dev.pypianalytics.support;

import dev.pypianalytics.clickhouse.Aggregates;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The truth check of the warehouse: each aggregate, re-aggregated by its keys, must equal the same GROUP
 * BY computed here, independently of its view's SQL, over the raw pypi table.
 */
public final class WarehouseTruth {

    private WarehouseTruth() {
    }

    /** Aggregate table → rows that differ (in either direction); empty when everything agrees. */
    public static Map<String, Long> mismatches(ClickHouse clickHouse) {
        return mismatches(clickHouse, null, null);
    }

    /**
     * The same, over the rows of projects starting with {@code projectPrefix} in one year: on both sides, a
     * table keyed by project is cut to those projects, one keyed by day or month to that year (a test's own
     * rows, checked without scanning every aggregate of the whole warehouse).
     */
    public static Map<String, Long> mismatches(ClickHouse clickHouse, String projectPrefix, Integer year) {
        Map<String, Long> differences = new LinkedHashMap<>();
        for (Aggregates.Aggregate aggregate : new Aggregates(clickHouse).all()) {
            List<String> keys = aggregate.keys();
            String keyList = String.join(", ", keys);
            String fromPypi = keys.stream().map(key -> key.equals("month") ? "toStartOfMonth(date) AS month" : key)
                    .collect(Collectors.joining(", "));
            List<String> expectedMeasures = new ArrayList<>();
            List<String> actualMeasures = new ArrayList<>();
            for (String measure : aggregate.measures()) {
                switch (measure) {
                    case "count" -> {
                        expectedMeasures.add("toInt64(count()) AS count");
                        actualMeasures.add("toInt64(sum(count)) AS count");
                    }
                    case "max_date" -> {
                        expectedMeasures.add("max(date) AS max_date");
                        actualMeasures.add("max(max_date) AS max_date");
                    }
                    case "min_date" -> {
                        expectedMeasures.add("min(date) AS min_date");
                        actualMeasures.add("min(min_date) AS min_date");
                    }
                    default -> throw new IllegalStateException("unknown measure " + measure + " in " + aggregate.table());
                }
            }
            List<String> onPypi = new ArrayList<>();
            List<String> onTable = new ArrayList<>();
            if (projectPrefix != null && keys.contains("project")) {
                String condition = "startsWith(project, '" + projectPrefix.replace("\\", "\\\\").replace("'", "\\'") + "')";
                onPypi.add(condition);
                onTable.add(condition);
            }
            if (year != null && (keys.contains("date") || keys.contains("month"))) {
                onPypi.add("toYear(date) = " + year);
                onTable.add("toYear(" + (keys.contains("date") ? "date" : "month") + ") = " + year);
            }
            String wherePypi = onPypi.isEmpty() ? "" : " WHERE " + String.join(" AND ", onPypi);
            String whereTable = onTable.isEmpty() ? "" : " WHERE " + String.join(" AND ", onTable);
            String expected = "SELECT " + fromPypi + ", " + String.join(", ", expectedMeasures) + " FROM pypi" + wherePypi
                    + " GROUP BY " + keyList;
            String actual = "SELECT " + keyList + ", " + String.join(", ", actualMeasures) + " FROM " + aggregate.table() + whereTable
                    + " GROUP BY " + keyList + (aggregate.measures().contains("count") ? " HAVING count != 0" : "");
            long diff = count(clickHouse, "SELECT count() AS n FROM ((" + actual + ") EXCEPT (" + expected + "))")
                    + count(clickHouse, "SELECT count() AS n FROM ((" + expected + ") EXCEPT (" + actual + "))");
            if (diff != 0) {
                differences.put(aggregate.table(), diff);
            }
        }
        return differences;
    }

    /** Total downloads in each aggregate with a count (to see that nothing changed). */
    public static Map<String, Long> totals(ClickHouse clickHouse) {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("pypi", count(clickHouse, "SELECT count() AS n FROM pypi"));
        for (Aggregates.Aggregate aggregate : new Aggregates(clickHouse).all()) {
            if (aggregate.measures().contains("count")) {
                totals.put(aggregate.table(), count(clickHouse, "SELECT sum(count) AS n FROM " + aggregate.table()));
            }
        }
        totals.put("ingest_files", count(clickHouse, "SELECT count() AS n FROM ingest_files FINAL"));
        return totals;
    }

    public static long count(ClickHouse clickHouse, String sql) {
        Long n = clickHouse.queryOne(Sql.of(sql).withTimeout(java.time.Duration.ofMinutes(2)), row -> row.getLong("n")).block();
        return n == null ? 0 : n;
    }
}
