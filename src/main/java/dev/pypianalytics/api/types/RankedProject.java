package dev.pypianalytics.api.types;

/** A project in a ranked list, with its downloads in the list's period. */
public record RankedProject(String name, long downloads) {
}
