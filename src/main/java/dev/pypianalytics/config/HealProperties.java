package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Self-healing days (README, "Self-healing days"): a scheduled reconcile of the most recent loaded days
 * against the ledger of loaded files, and, when {@code repair} is on, {@code repair-day} for each day found
 * short, missing or excess that exactly one loaded file holds. Off by default; owned warehouses only.
 *
 * @param enabled      check recent days on a schedule (repair=true turns it on too)
 * @param repair       repair the days found wrong (otherwise they are only reported)
 * @param days         how many days are checked, counted back from the newest day any loaded file holds
 * @param interval     time between two checks
 * @param initialDelay time from start-up to the first check
 */
@Validated
@ConfigurationProperties("pypi.heal")
public record HealProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("false") boolean repair,
        @Min(1) @Max(366) @DefaultValue("7") int days,
        @NotNull @DefaultValue("1h") Duration interval,
        @NotNull @DefaultValue("1m") Duration initialDelay) {

    /** Whether the gateway checks days on a schedule. */
    public boolean active() {
        return enabled || repair;
    }
}
