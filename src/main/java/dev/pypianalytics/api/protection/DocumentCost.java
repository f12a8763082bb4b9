package dev.pypianalytics.api.protection;

import dev.pypianalytics.api.FieldRules;
import dev.pypianalytics.api.InvalidInputException;
import dev.pypianalytics.planner.DateRange;
import graphql.normalized.ExecutableNormalizedField;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a whole request asks of the warehouse, computed from its normalized operation before anything
 * runs: the problems of its arguments, its cost and the ClickHouse statements it will send.
 *
 * <p>Cost: a field costs 1, plus its series' buckets × series / 10 (a series over an open range spans the
 * data's real first to last day, not an assumed history), plus {@link #STATEMENT_COST} per statement, plus
 * its children's cost times the items it may return. Arithmetic saturates: no sum of huge limits wraps
 * around to a small number.
 *
 * @param problems   what is wrong with the arguments, each naming the field and argument
 * @param cost       the request's cost
 * @param statements the ClickHouse statements it sends at most
 */
public record DocumentCost(List<String> problems, long cost, int statements) {

    /** What one ClickHouse statement adds to the cost (the engine's fixed cost per statement dominates small questions). */
    public static final long STATEMENT_COST = 10;

    /** Problems reported at most (a request with thousands of bad fields needs only the first few named). */
    static final int MAX_PROBLEMS = 10;

    /** The history assumed when the data's span is not known yet. */
    static final long UNKNOWN_SPAN_DAYS = 3660;

    /**
     * @param fields  the operation's top-level fields
     * @param dataSpan the first and last day with data, or {@code null} when unknown (or no data)
     */
    public static DocumentCost of(List<ExecutableNormalizedField> fields, DateRange dataSpan) {
        Walk walk = new Walk(dataSpan);
        long cost = 0;
        for (ExecutableNormalizedField field : fields) {
            cost = add(cost, walk.cost(field));
        }
        int statements = walk.statements.values().stream().mapToInt(Integer::intValue).sum();
        return new DocumentCost(List.copyOf(walk.problems), add(cost, multiply(statements, STATEMENT_COST)), statements);
    }

    private static final class Walk {

        private final DateRange dataSpan;
        private final List<String> problems = new ArrayList<>();
        /** Statement key (with its depth) → statements. */
        private final Map<String, Integer> statements = new HashMap<>();

        Walk(DateRange dataSpan) {
            this.dataSpan = dataSpan;
        }

        long cost(ExecutableNormalizedField field) {
            long total = 0;
            for (String type : field.getObjectTypeNames()) {
                total = Math.max(total, cost(field, type));
            }
            return total;
        }

        private long cost(ExecutableNormalizedField field, String type) {
            Map<String, Object> arguments = field.getResolvedArguments();
            Map<String, Object> parentArguments = field.getParent() == null ? null : field.getParent().getResolvedArguments();
            try {
                FieldRules.check(type, field.getFieldName(), arguments);
            } catch (InvalidInputException invalid) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(path(field) + ": " + invalid.getMessage());
                }
                return 1;
            }
            FieldRules.Statements sent = FieldRules.statements(type, field.getFieldName(), arguments, parentArguments);
            if (sent.count() > 0) {
                statements.putIfAbsent(field.getLevel() + ":" + sent.key(), sent.count());
            }
            long cost = 1;
            FieldRules.Series series = FieldRules.series(type, field.getFieldName(), arguments, parentArguments);
            if (series != null) {
                long buckets = series.granularity().buckets(days(series.range()));
                cost = add(cost, (multiply(buckets, series.series()) + 9) / 10);
            }
            long children = 0;
            for (ExecutableNormalizedField child : field.getChildren()) {
                children = add(children, cost(child));
            }
            return add(cost, multiply(FieldRules.items(type, field.getFieldName(), arguments), children));
        }

        /** Days of a range, clipped to the data's span (an open range is the span). */
        private long days(DateRange range) {
            if (dataSpan == null) {
                return range == null ? UNKNOWN_SPAN_DAYS : Math.min(range.days(), UNKNOWN_SPAN_DAYS);
            }
            if (range == null) {
                return dataSpan.days();
            }
            LocalDate from = range.from().isAfter(dataSpan.from()) ? range.from() : dataSpan.from();
            LocalDate to = range.to().isBefore(dataSpan.to()) ? range.to() : dataSpan.to();
            return from.isAfter(to) ? 1 : to.toEpochDay() - from.toEpochDay() + 1;
        }

        private static String path(ExecutableNormalizedField field) {
            List<String> keys = new ArrayList<>();
            for (ExecutableNormalizedField at = field; at != null; at = at.getParent()) {
                keys.addFirst(at.getResultKey());
            }
            return String.join(".", keys);
        }
    }

    static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    static long multiply(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
