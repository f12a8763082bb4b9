package dev.pypianalytics.clickhouse;

import java.time.LocalDate;

/** One row of a result, read by column name. Numeric columns of any width read as {@code long}. */
public interface ResultRow {

    /** The value of an integer column (Int*, UInt* within range); throws if it is NULL. */
    long getLong(String column);

    /** The value of a string-like column, or {@code null}. */
    String getString(String column);

    /** The value of a Date column, or {@code null}. */
    LocalDate getDate(String column);

    /** The raw value as the driver returns it, or {@code null}. */
    Object get(String column);

    /** The values of an array column of integers (empty for NULL). */
    default long[] getLongs(String column) {
        Object value = get(column);
        if (!(value instanceof java.util.List<?> list)) {
            return new long[0];
        }
        return list.stream().mapToLong(element -> Long.parseLong(element.toString())).toArray();
    }

    /** Roughly the memory the row holds, for caches bounded by size. */
    default long estimatedBytes() {
        return 256;
    }
}
