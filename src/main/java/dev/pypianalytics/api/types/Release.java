package dev.pypianalytics.api.types;

import java.time.LocalDate;

/** A version uploaded to PyPI. */
public record Release(String name, String version, LocalDate uploadDay) {
}
