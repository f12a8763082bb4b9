package dev.pypianalytics.api.types;

import dev.pypianalytics.downloads.HotProjects;

import java.time.LocalDate;
import java.util.List;

/** A project whose downloads grew the most between two complete months. */
public record HotProject(String name, LocalDate month, long previousMonth, long lastMonth, double growth, List<DailyDownloads> monthly) {

    /** A hot project, its monthly buckets not (yet) known to be partial. */
    public static HotProject of(HotProjects.Hot hot) {
        return new HotProject(hot.project(), hot.month(), hot.previous(), hot.current(), hot.growth(), DailyDownloads.of(hot.monthly()));
    }

    /** The same project with these monthly buckets. */
    public HotProject withMonthly(List<DailyDownloads> buckets) {
        return new HotProject(name, month, previousMonth, lastMonth, growth, buckets);
    }
}
