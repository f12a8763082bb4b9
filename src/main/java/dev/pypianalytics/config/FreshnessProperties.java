package dev.pypianalytics.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How old the data may get before the gateway says so (README, "Data freshness"). The age (lag) is now minus the
 * end (next midnight, UTC) of the last day with downloads, the same formula as {@code pypi_ingest_lag_seconds}.
 * Every threshold is off (unset) by default: the demo data set ends on a fixed past day and would otherwise be
 * reported stale for ever.
 *
 * @param staleAfter           past this lag, {@code freshness.stale} is true and badges say "stale"; unset = never
 * @param warnAfter            past this lag, the {@code dataFreshness} health check is {@code WARN} (HTTP 200); unset = never
 * @param downAfter            past this lag, it is {@code DOWN} (HTTP 503: a load balancer takes the gateway out);
 *                             unset = never
 * @param dataAsOfExtension    when answers carry {@code extensions.dataAsOf} (the last day with downloads):
 *                             {@code ON_REQUEST} (default: when the request's extensions say {@code "dataAsOf": true}),
 *                             {@code ALWAYS}, or {@code NEVER}
 */
@Validated
@ConfigurationProperties("pypi.freshness")
public record FreshnessProperties(
        Duration staleAfter,
        Duration warnAfter,
        Duration downAfter,
        @NotNull @DefaultValue("ON_REQUEST") DataAsOf dataAsOfExtension) {

    /** When answers carry {@code extensions.dataAsOf}. */
    public enum DataAsOf { NEVER, ON_REQUEST, ALWAYS }
}
