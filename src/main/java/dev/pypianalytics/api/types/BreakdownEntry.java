package dev.pypianalytics.api.types;

/** Downloads of one value of a dimension ({@code name}: a readable name where there is one). */
public record BreakdownEntry(String value, String name, long downloads) {
}
