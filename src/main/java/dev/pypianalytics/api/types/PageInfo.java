package dev.pypianalytics.api.types;

/** Relay-style page information. */
public record PageInfo(boolean hasNextPage, String endCursor) {
}
