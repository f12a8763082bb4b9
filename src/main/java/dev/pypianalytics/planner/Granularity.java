package dev.pypianalytics.planner;

/** Buckets of a download time series. Each bucket is named by its first day. */
public enum Granularity {
    DAY(TimeKey.DAY, ""),
    WEEK(TimeKey.DAY, "toMonday"),
    MONTH(TimeKey.MONTH, "toStartOfMonth"),
    QUARTER(TimeKey.MONTH, "toStartOfQuarter"),
    YEAR(TimeKey.MONTH, "toStartOfYear");

    private final TimeKey needs;
    private final String function;

    Granularity(TimeKey needs, String function) {
        this.needs = needs;
        this.function = function;
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
