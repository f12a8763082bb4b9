package dev.pypianalytics.config;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.Locale;

/**
 * Who may read the management endpoints (health details, metrics, everything under {@code /actuator} but
 * the bare health status) on the public port. A separate {@code management.server.port} is the other way
 * to reach them (see README, "Running it in public").
 *
 * @param tokenSha256 SHA-256 (64 hex digits) of the bearer token that opens them
 *                    ({@code Authorization: Bearer <token>}); empty = no token, they are not served on the
 *                    public port. Only the hash is configured, so the configuration does not hold the secret.
 */
@Validated
@ConfigurationProperties("pypi.management")
public record ManagementProperties(
        @Pattern(regexp = "([0-9a-fA-F]{64})?", message = "must be the SHA-256 of the token as 64 hex digits") String tokenSha256) {

    public ManagementProperties {
        tokenSha256 = tokenSha256 == null || tokenSha256.isBlank() ? null : tokenSha256.strip().toLowerCase(Locale.ROOT);
    }
}
