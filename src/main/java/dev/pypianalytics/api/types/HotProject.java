package dev.pypianalytics.api.types;

import java.time.LocalDate;
import java.util.List;

/** A project whose downloads grew the most between two complete months. */
public record HotProject(String name, LocalDate month, long previousMonth, long lastMonth, double growth, List<DailyDownloads> monthly) {
}
