package dev.pypianalytics.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The live demo (README, "Demo data"): a generator that keeps writing export files after the demo data set's
 * last day, and a follower that loads them, so the dashboard shows downloads arriving.
 *
 * @param live          whether it runs; it only ever writes where the demo data set was generated (the ledger
 *                      holds the generator's entry), never into a warehouse of real or attached data
 * @param liveInterval  how often a file is written: one whole day per file while catching up to today, then
 *                      the downloads of the time since the last file
 * @param liveDirectory the folder the files are written to; unset = {@code pypi.follow.directory} when that is
 *                      set (the gateway's follower loads them), else a folder beside the embedded engine's data
 *                      (loaded by the demo's own follower)
 */
@Validated
@ConfigurationProperties("pypi.demo")
public record LiveDemoProperties(
        @DefaultValue("true") boolean live,
        @NotNull @DefaultValue("5s") Duration liveInterval,
        Path liveDirectory) {
}
