package dev.pypianalytics.api.types;

import java.util.List;

/** A page of projects. */
public record ProjectConnection(List<ProjectEdge> edges, PageInfo pageInfo) {
}
