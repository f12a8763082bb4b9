package dev.pypianalytics.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Schema migrations: the {@code sql/} files applied at startup.
 *
 * @param enabled      apply pending files at startup
 * @param location     resource pattern of the files, applied in file-name order
 * @param onChangedFile what to do when an already applied file's content changed: FAIL (default) stops
 *                      startup with a report, WARN logs the report and goes on; neither re-runs the file
 */
@Validated
@ConfigurationProperties("pypi.migrations")
public record MigrationProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("classpath:sql/*.sql") String location,
        @NotNull @DefaultValue("FAIL") OnChangedFile onChangedFile) {

    public enum OnChangedFile { FAIL, WARN }
}
