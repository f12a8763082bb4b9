package dev.pypianalytics.api;

import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;

/** The schema's {@code UnknownValues}: whether a split by a dimension lists its unknown value (the empty string, or unknown for CI). */
enum UnknownValues {
    INCLUDE, EXCLUDE;

    /** The filter of a split by {@code by}: without the dimension's unknown value when it is to be left out. */
    DownloadFilter applyTo(DownloadFilter filter, Dimension by) {
        return this == EXCLUDE ? filter.withoutUnknown(by) : filter;
    }
}
