package dev.pypianalytics.planner;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * Buckets of a download time series. Each bucket is named by its first day. Weeks start on Monday
 * ({@link #WEEK}, ISO 8601) or on Sunday ({@link #WEEK_FROM_SUNDAY}, the API's {@code weekStart: SUNDAY}).
 */
public enum Granularity {
    DAY(TimeKey.DAY, "", "", 1),
    WEEK(TimeKey.DAY, "toMonday", "", 7),
    /** Weeks from Sunday to Saturday: not an API value of its own, but WEEK with {@code weekStart: SUNDAY}. */
    WEEK_FROM_SUNDAY(TimeKey.DAY, "toStartOfWeek", ", 0", 7),
    MONTH(TimeKey.MONTH, "toStartOfMonth", "", 30),
    QUARTER(TimeKey.MONTH, "toStartOfQuarter", "", 91),
    YEAR(TimeKey.MONTH, "toStartOfYear", "", 365);

    private final TimeKey needs;
    private final String function;
    /** Further arguments of the function (toStartOfWeek's mode 0: weeks start on Sunday). */
    private final String arguments;
    private final int approximateDays;

    Granularity(TimeKey needs, String function, String arguments, int approximateDays) {
        this.needs = needs;
        this.function = function;
        this.arguments = arguments;
        this.approximateDays = approximateDays;
    }

    /** Buckets a range of {@code days} days makes, at least one (a month counted as 30 days): for costing. */
    public long buckets(long days) {
        return Math.max(1, (days + approximateDays - 1) / approximateDays);
    }

    /** The coarsest time key that can answer this granularity. */
    public TimeKey needs() {
        return needs;
    }

    /** The SQL expression bucketing a day (or month) column; the function name comes from this enum. */
    public String bucket(String timeColumn) {
        return function.isEmpty() ? timeColumn : function + "(" + timeColumn + arguments + ")";
    }

    /** This granularity with weeks starting on {@code first} (Monday or Sunday); other granularities are unchanged. */
    public Granularity weeksStartingOn(DayOfWeek first) {
        if (this != WEEK && this != WEEK_FROM_SUNDAY) {
            return this;
        }
        return switch (first) {
            case MONDAY -> WEEK;
            case SUNDAY -> WEEK_FROM_SUNDAY;
            default -> throw new IllegalArgumentException("weeks start on Monday or Sunday, not " + first);
        };
    }

    /** The last day of the bucket that starts on {@code first} (named by its first day). */
    public LocalDate lastDayOf(LocalDate first) {
        return switch (this) {
            case DAY -> first;
            case WEEK, WEEK_FROM_SUNDAY -> first.plusDays(6);
            case MONTH -> first.plusMonths(1).minusDays(1);
            case QUARTER -> first.plusMonths(3).minusDays(1);
            case YEAR -> first.plusYears(1).minusDays(1);
        };
    }

    /**
     * Whether the bucket that starts on {@code first} covers only part of its period: it begins before the
     * counted days {@code covered} (the filter's range within the days with data) or ends after them.
     */
    public boolean partial(LocalDate first, DateRange covered) {
        return first.isBefore(covered.from()) || lastDayOf(first).isAfter(covered.to());
    }
}
