package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Following a folder of download exports (README, "Following a folder"): off unless {@code directory} is set.
 *
 * @param directory     the folder to follow; unset (default) = the gateway follows nothing
 * @param pollInterval  how often the folder is listed; a file is loaded once it looks the same (size and
 *                      modification time) at two listings in a row
 * @param quietPeriod   and once its modification time is at least this old (a writer that pauses longer than
 *                      this mid-file should write under a temporary name and rename)
 * @param leaseDuration how long the follower's claim on the warehouse lasts without renewal (renewed every
 *                      third of it); another follower takes over after it lapses
 * @param leaseSettle   how long a claim waits before reading back who won (covers inserts still in flight)
 * @param retryInitial  first wait after a transient failure (warehouse unreachable, timeout); doubled per attempt
 * @param retryMax      longest wait between attempts
 * @param maxAttempts   attempts of one file when the warehouse answers with an error (not when it is unreachable:
 *                      then the follower waits for it indefinitely); after these the file is quarantined
 */
@Validated
@ConfigurationProperties("pypi.follow")
public record FollowProperties(
        Path directory,
        @NotNull @DefaultValue("10s") Duration pollInterval,
        @NotNull @DefaultValue("5s") Duration quietPeriod,
        @NotNull @DefaultValue("60s") Duration leaseDuration,
        @NotNull @DefaultValue("500ms") Duration leaseSettle,
        @NotNull @DefaultValue("1s") Duration retryInitial,
        @NotNull @DefaultValue("5m") Duration retryMax,
        @Min(1) @Max(1000) @DefaultValue("5") int maxAttempts) {

    /** Whether a folder is set (the gateway follows it). */
    public boolean enabled() {
        return directory != null && !directory.toString().isBlank();
    }

    /** The same settings for another folder (the follow command). */
    public FollowProperties withDirectory(Path folder) {
        return new FollowProperties(folder, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts);
    }
}
