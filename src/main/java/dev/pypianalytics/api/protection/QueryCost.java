package dev.pypianalytics.api.protection;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.FieldComplexityEnvironment;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a field costs: 1, plus its children; a series costs its buckets (days of its range divided by
 * the bucket size, the whole history when open) times its number of series, divided by 10; a list
 * multiplies its items' cost by how many it may return.
 */
public final class QueryCost implements FieldComplexityCalculator {

    /** The history an open range is assumed to span. */
    static final long OPEN_RANGE_DAYS = 3660;

    private static final Set<String> SERIES = Set.of("downloads", "downloadsBy", "compare", "series");
    private static final Map<String, Long> BUCKET_DAYS = Map.of("DAY", 1L, "WEEK", 7L, "MONTH", 30L, "QUARTER", 91L, "YEAR", 365L);

    @Override
    public int calculate(FieldComplexityEnvironment environment, int childComplexity) {
        Map<String, Object> arguments = environment.getArguments();
        String field = environment.getField().getName();
        long cost = 1;
        boolean series = SERIES.contains(field) && arguments.containsKey("granularity");
        if (series) {
            long buckets = Math.max(1, days(arguments.get("filter")) / BUCKET_DAYS.getOrDefault(String.valueOf(arguments.get("granularity")), 1L));
            long seriesCount = field.equals("compare") && arguments.get("names") instanceof List<?> names ? names.size()
                    : field.equals("downloadsBy") && arguments.get("top") instanceof Number top ? top.longValue() + 1 : 1;
            cost += (buckets * seriesCount + 9) / 10;
        }
        long items = 1;
        for (String size : List.of("first", "limit")) {
            if (arguments.get(size) instanceof Number number) {
                items = Math.max(1, number.longValue());
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, cost + items * childComplexity);
    }

    private static long days(Object filter) {
        if (!(filter instanceof Map<?, ?> map)) {
            return OPEN_RANGE_DAYS;
        }
        LocalDate from = date(map.get("from"));
        LocalDate to = date(map.get("to"));
        if (from == null && to == null) {
            return OPEN_RANGE_DAYS;
        }
        if (from == null || to == null) {
            return OPEN_RANGE_DAYS / 2;
        }
        return Math.max(1, to.toEpochDay() - from.toEpochDay() + 1);
    }

    private static LocalDate date(Object value) {
        if (value instanceof LocalDate date) {
            return date;
        }
        return value == null ? null : LocalDate.parse(value.toString());
    }
}
