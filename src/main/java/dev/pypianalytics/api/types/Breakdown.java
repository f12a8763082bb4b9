package dev.pypianalytics.api.types;

import java.util.List;

/** Downloads split by one dimension: the largest values, the rest as other, and the total. */
public record Breakdown(List<BreakdownEntry> entries, long other, long total) {
}
