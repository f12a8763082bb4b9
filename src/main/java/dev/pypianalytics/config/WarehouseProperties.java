package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Whose warehouse this is, and how politely to use it.
 *
 * @param mode                   {@code OWNED} (default): the gateway's own warehouse, which it creates, migrates and
 *                               loads; {@code ATTACHED}: someone else's (such as ClickPy's public instance), read as
 *                               it is: no migrations, no DDL, no demo data, no writes, no scans of the raw table
 * @param maxConcurrentStatements most statements in flight to ClickHouse at once from this gateway; more wait
 *                               their turn (within their request's timeout), so one busy gateway cannot exhaust a
 *                               shared user's concurrency or quota by itself
 * @param quotaRetryAfter        what clients are told to wait ({@code Retry-After}) when the warehouse refuses
 *                               because a quota or its concurrency limit is exhausted
 * @param ignoreTables           aggregate tables the planner must not use (e.g. one filled only for recent months
 *                               by a view the gateway cannot read)
 */
@Validated
@ConfigurationProperties("pypi.warehouse")
public record WarehouseProperties(
        @NotNull @DefaultValue("OWNED") Mode mode,
        @Min(1) @Max(1024) @DefaultValue("16") int maxConcurrentStatements,
        @NotNull @DefaultValue("60s") Duration quotaRetryAfter,
        @NotNull @DefaultValue List<String> ignoreTables) {

    public enum Mode { OWNED, ATTACHED }

    public boolean attached() {
        return mode == Mode.ATTACHED;
    }
}
