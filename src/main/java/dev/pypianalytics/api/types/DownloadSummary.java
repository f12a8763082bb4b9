package dev.pypianalytics.api.types;

import java.time.LocalDate;

/** A project's downloads on the data's last day, the 7 and 30 days up to it, and all time. */
public record DownloadSummary(LocalDate asOf, long lastDay, long lastWeek, long lastMonth, long allTime) {
}
