package dev.pypianalytics.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the warehouse lives. Leave {@code url} empty to run on the embedded engine
 * ({@link EmbeddedEngineProperties}); set it to use an external server, ClickHouse Cloud or a cluster.
 *
 * @param url            {@code http(s)://host:port} of the ClickHouse HTTP interface; empty = embedded engine
 * @param user           ClickHouse user
 * @param password       its password
 * @param database       database holding the warehouse tables (created if missing and allowed)
 * @param connectTimeout how long to wait for a TCP/TLS connection before reporting ClickHouse unreachable
 * @param queryTimeout   longest a query may run: sent as {@code max_execution_time} and enforced client-side
 * @param options        extra clickhouse-java client options (e.g. {@code ssl_mode}), passed through as is
 */
@Validated
@ConfigurationProperties("pypi.clickhouse")
public record ClickHouseProperties(
        URI url,
        @NotBlank @DefaultValue("default") String user,
        @NotNull @DefaultValue("") String password,
        @NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be a plain identifier") @DefaultValue("pypi") String database,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration queryTimeout,
        @NotNull @DefaultValue Map<String, String> options) {

    /** True when no external server is configured, i.e. the embedded engine is the default. */
    public boolean external() {
        return url != null && !url.toString().isBlank();
    }
}
