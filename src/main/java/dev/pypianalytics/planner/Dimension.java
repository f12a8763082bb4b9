package dev.pypianalytics.planner;

import java.util.Arrays;
import java.util.Optional;

/** The dimensions downloads can be filtered and grouped by, each a column of pypi and of the aggregates that keep it. */
public enum Dimension {
    VERSION("version"),
    COUNTRY("country_code"),
    FILE_TYPE("type"),
    PYTHON_MINOR("python_minor"),
    SYSTEM("system"),
    INSTALLER("installer"),
    CI("ci");

    /** The value recorded when a download did not say (ClickPy keeps the empty string; the CI flag has its own). */
    public String unknownValue() {
        return this == CI ? "unknown" : "";
    }

    private final String column;

    Dimension(String column) {
        this.column = column;
    }

    /** The column in pypi and in every aggregate keyed by this dimension. */
    public String column() {
        return column;
    }

    public static Optional<Dimension> ofColumn(String column) {
        return Arrays.stream(values()).filter(dimension -> dimension.column.equals(column)).findFirst();
    }
}
