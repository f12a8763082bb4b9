package dev.pypianalytics.api.types;

import java.time.LocalDate;

/** Downloads in one bucket of a time series. */
public record DailyDownloads(LocalDate date, long downloads) {
}
