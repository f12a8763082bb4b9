package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.LocalDate;

/**
 * Demo data generated at start-up into an empty warehouse (by default only the embedded engine's).
 *
 * @param loadWhenEmpty    when to generate demo data into an empty {@code pypi} table at start-up
 * @param rows             approximate number of download rows to generate
 * @param days             length of the generated date range (default three years)
 * @param lastDay          last day of the generated range (fixed so the data set is reproducible)
 * @param seed             seed of the deterministic generator
 */
@Validated
@ConfigurationProperties("pypi.demo")
public record DemoDataProperties(
        @DefaultValue("EMBEDDED") LoadWhenEmpty loadWhenEmpty,
        @Min(1_000) @Max(5_000_000_000L) @DefaultValue("2500000") long rows,
        @Min(1) @Max(3660) @DefaultValue("1096") int days,
        @DefaultValue("2026-03-31") LocalDate lastDay,
        @DefaultValue("42") long seed) {

    /** An external warehouse is never written to unless asked: only the embedded engine gets demo data by default. */
    public enum LoadWhenEmpty { EMBEDDED, ALWAYS, NEVER }
}
