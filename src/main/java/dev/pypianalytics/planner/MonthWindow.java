package dev.pypianalytics.planner;

import java.time.LocalDate;

/**
 * What "last month" counts back from a day: our 30 days, or a calendar month as ClickPy counts it
 * (its package page sums the days after the same day one month earlier, up to the day).
 */
public enum MonthWindow {

    /** The 30 days up to and including the day (pypistats' "last month"; ours by default). */
    LAST_30_DAYS,

    /**
     * The days after the same day one calendar month earlier, up to and including the day: 28 to 31 days.
     * When the earlier month is shorter, its last day stands in (the window up to 31 March starts on
     * 1 March, after 28 February), as ClickHouse's and Java's month subtraction both do.
     */
    CALENDAR_MONTH;

    /** The days counted as the month up to {@code asOf}, both ends included. */
    public DateRange upTo(LocalDate asOf) {
        return switch (this) {
            case LAST_30_DAYS -> new DateRange(asOf.minusDays(29), asOf);
            case CALENDAR_MONTH -> new DateRange(asOf.minusMonths(1).plusDays(1), asOf);
        };
    }
}
