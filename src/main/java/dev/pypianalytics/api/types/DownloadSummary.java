package dev.pypianalytics.api.types;

import java.time.LocalDate;

/**
 * A project's downloads on the data's last day, the 7 days and the month up to it, and all time.
 *
 * @param lastMonthFrom the first day counted in {@code lastMonth} (the month window's start), null without data
 */
public record DownloadSummary(LocalDate asOf, long lastDay, long lastWeek, long lastMonth, long allTime, LocalDate lastMonthFrom) {
}
