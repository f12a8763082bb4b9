package dev.pypianalytics.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * GitHub repository figures (stars, forks, issues, pull requests, contributors) beside the downloads.
 *
 * @param database the database of GitHub events, in the layout ClickPy uses ({@code github_events} and
 *                 {@code repo_name_to_id}); created by the schema migrations in an owned warehouse (set it before
 *                 the first start: applied migrations are not re-run), read as it is in an attached one. When its
 *                 tables are missing, {@code Project.repository} is null.
 * @param availabilityCheck how long the answer to "are there GitHub events?" is kept (tables appear with migrations
 *                 or an operator's DDL, not with data)
 */
@Validated
@ConfigurationProperties("pypi.github")
public record GithubProperties(
        @NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}", message = "must be a plain identifier")
        @DefaultValue("github") String database,
        @NotNull @DefaultValue("1m") Duration availabilityCheck) {
}
