package dev.pypianalytics.api.types;

/** The GraphQL {@code Project}: its name; every other field is resolved on demand, batched across the projects of a request. */
public record Project(String name) {
}
