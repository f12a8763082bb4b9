package dev.pypianalytics.planner;

/** Buckets of a download time series. Each bucket is named by its first day. */
public enum Granularity {
    DAY(TimeKey.DAY, "", 1),
    WEEK(TimeKey.DAY, "toMonday", 7),
    MONTH(TimeKey.MONTH, "toStartOfMonth", 30),
    QUARTER(TimeKey.MONTH, "toStartOfQuarter", 91),
    YEAR(TimeKey.MONTH, "toStartOfYear", 365);

    private final TimeKey needs;
    private final String function;
    private final int approximateDays;

    Granularity(TimeKey needs, String function, int approximateDays) {
        this.needs = needs;
        this.function = function;
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
        return function.isEmpty() ? timeColumn : function + "(" + timeColumn + ")";
    }
}
