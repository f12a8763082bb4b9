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
        @Min(MIN_ROWS) @Max(MAX_ROWS) @DefaultValue(DEFAULT_ROWS) long rows,
        @Min(MIN_DAYS) @Max(MAX_DAYS) @DefaultValue(DEFAULT_DAYS) int days,
        @DefaultValue(DEFAULT_LAST_DAY) LocalDate lastDay,
        @DefaultValue(DEFAULT_SEED) long seed) {

    // The demo data set's defaults and bounds, in one place: the gateway's start-up (these properties) and the
    // generate command (cli.GenerateCommand) both read them.
    public static final String DEFAULT_ROWS = "2500000";
    public static final String DEFAULT_DAYS = "1096";
    public static final String DEFAULT_LAST_DAY = "2026-03-31";
    public static final String DEFAULT_SEED = "42";
    public static final long MIN_ROWS = 1_000;
    public static final long MAX_ROWS = 5_000_000_000L;
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3660;

    /** An external warehouse is never written to unless asked: only the embedded engine gets demo data by default. */
    public enum LoadWhenEmpty { EMBEDDED, ALWAYS, NEVER }
}
