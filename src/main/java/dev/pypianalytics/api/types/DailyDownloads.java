package dev.pypianalytics.api.types;

import java.time.LocalDate;

/**
 * Downloads in one bucket of a time series.
 *
 * @param partial whether the bucket covers only part of its period (the date range or the data's first or last day cuts it)
 */
public record DailyDownloads(LocalDate date, long downloads, boolean partial) {

    /** A bucket not (yet) known to be partial. */
    public DailyDownloads(LocalDate date, long downloads) {
        this(date, downloads, false);
    }
}
