package dev.pypianalytics.api.types;

import java.util.List;

/** One project's series in a comparison. */
public record ProjectSeries(String name, List<DailyDownloads> downloads) {
}
