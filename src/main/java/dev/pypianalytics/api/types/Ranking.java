package dev.pypianalytics.api.types;

/** A project's position by all-time downloads. */
public record Ranking(long rank, long of, double percentile) {
}
