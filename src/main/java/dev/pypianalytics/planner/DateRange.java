package dev.pypianalytics.planner;

import java.time.LocalDate;
import java.util.Objects;

/** Days from {@code from} to {@code to}, both included. */
public record DateRange(LocalDate from, LocalDate to) {

    public DateRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /** Whole months only: a table keyed by month can answer it. */
    public boolean monthAligned() {
        return from.getDayOfMonth() == 1 && to.getDayOfMonth() == to.lengthOfMonth();
    }

    /** The days both ranges hold, or {@code null} when they share none. */
    public DateRange intersection(DateRange other) {
        LocalDate start = from.isAfter(other.from) ? from : other.from;
        LocalDate end = to.isBefore(other.to) ? to : other.to;
        return start.isAfter(end) ? null : new DateRange(start, end);
    }

    public long days() {
        return to.toEpochDay() - from.toEpochDay() + 1;
    }
}
