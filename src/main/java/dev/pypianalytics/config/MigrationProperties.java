package dev.pypianalytics.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Schema migrations: the {@code sql/} files applied at startup.
 *
 * @param enabled      apply pending files at startup
 * @param location     resource pattern of the files, applied in file-name order
 * @param onChangedFile what to do when an already applied file's content changed: FAIL (default) stops
 *                      startup with a report, WARN logs the report and goes on; neither re-runs the file
 * @param lockDuration  how long the migrations lease lasts without renewal (renewed every third of it while
 *                      migrating): an instance that dies while migrating blocks the others this long at most
 * @param lockWait      how long an instance waits for another one's migrations before it gives up starting
 */
@Validated
@ConfigurationProperties("pypi.migrations")
public record MigrationProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("classpath:sql/*.sql") String location,
        @NotNull @DefaultValue("FAIL") OnChangedFile onChangedFile,
        @NotNull @DefaultValue("60s") Duration lockDuration,
        @NotNull @DefaultValue("30m") Duration lockWait) {

    public enum OnChangedFile { FAIL, WARN }
}
