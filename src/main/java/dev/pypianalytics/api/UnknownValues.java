package dev.pypianalytics.api;

/** The schema's {@code UnknownValues}: whether a split by a dimension lists its unknown value (the empty string, or unknown for CI). */
enum UnknownValues { INCLUDE, EXCLUDE }
