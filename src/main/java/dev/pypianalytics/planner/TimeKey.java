package dev.pypianalytics.planner;

/** How finely a table keeps time; a finer key serves every coarser question. */
public enum TimeKey {
    /** No time column: all-time figures only. */
    NONE,
    /** A {@code month} column (first day of the month). */
    MONTH,
    /** A {@code date} column. */
    DAY;

    public boolean serves(TimeKey needed) {
        return compareTo(needed) >= 0;
    }
}
