package dev.pypianalytics.api.types;

import java.time.LocalDate;

/** Figures about the whole warehouse (its freshness fields are resolved on demand). */
public record Stats(long totalDownloads, long projects, LocalDate firstDay, LocalDate lastDay) {
}
