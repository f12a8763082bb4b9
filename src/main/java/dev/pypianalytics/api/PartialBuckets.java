package dev.pypianalytics.api;

/** The schema's {@code PartialBuckets}: whether a series keeps its first or last bucket when it covers only part of its period. */
enum PartialBuckets { INCLUDE, EXCLUDE }
