package dev.pypianalytics.api.types;

/** A project in a page, with the cursor of its position. */
public record ProjectEdge(String cursor, Project node) {
}
