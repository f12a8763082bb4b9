package dev.pypianalytics.api.types;

import java.util.List;

/** One series of a split time series ({@code other}: the sum of the values not listed). */
public record SeriesGroup(String value, String name, boolean other, List<DailyDownloads> downloads) {
}
