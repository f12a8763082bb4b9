package dev.pypianalytics.api.types;

import dev.pypianalytics.planner.DownloadFilter;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A version in an answer; project and filter let its series be loaded with its siblings' (and other projects'). */
public record Version(String name, LocalDate uploadDay, OffsetDateTime uploadTime, long downloads, String project, DownloadFilter filter) {
}
