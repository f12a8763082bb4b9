package dev.pypianalytics.config;

import jakarta.validation.Valid;
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
 * @param api            credentials of the API's queries (read-only); on the embedded engine the gateway
 *                       declares this user itself with a random password for each run
 * @param cluster        a self-managed cluster's name (from the servers' {@code remote_servers}): the database is
 *                       created {@code ON CLUSTER} with the {@code Replicated} database engine and every MergeTree
 *                       table of the {@code sql/} files as its {@code Replicated} variant ({@code ClusterDdl}); empty
 *                       (the default) for one server or ClickHouse Cloud, which replicates by itself
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
        @NotNull @DefaultValue Map<String, String> options,
        @Valid @NotNull @DefaultValue ApiUser api,
        @NotNull @Pattern(regexp = "|[A-Za-z_][A-Za-z0-9_-]*", message = "must be empty or a plain cluster name") @DefaultValue("") String cluster) {

    /**
     * The ClickHouse user the API's queries run as: it should be allowed to read the warehouse database
     * and nothing else (see README, "A read-only user for the API"). Leave {@code user} empty to run API
     * queries with the main credentials; every API statement is sent with {@code readonly = 2} either way.
     *
     * @param user     ClickHouse user of API queries; empty = the main {@code user} (external servers) or
     *                 {@code pypi_api} (embedded engine)
     * @param password its password (external servers; the embedded engine makes its own)
     * @param settings ClickHouse settings sent with every API statement besides the gateway's own, e.g.
     *                 {@code max_threads: 2} or {@code priority: 1} to keep API queries gentle on a shared
     *                 server (names are identifiers, values numbers or plain words)
     * @param batch    send the statements one request asks at once (a package page's fields) as one {@code UNION ALL}
     *                 statement: ClickHouse's cost per statement is paid once for them (off, the default: one statement
     *                 each; on, a page's p50 at one user was worse here, see issue 16's note)
     */
    public record ApiUser(@DefaultValue("") String user, @DefaultValue("") String password,
                          @NotNull @DefaultValue Map<String, String> settings, @DefaultValue("false") boolean batch) {

        /** The embedded engine's API user when none is named. */
        public static final String EMBEDDED_DEFAULT = "pypi_api";

        public boolean configured() {
            return user != null && !user.isBlank();
        }
    }

    /** True when no external server is configured, i.e. the embedded engine is the default. */
    public boolean external() {
        return url != null && !url.toString().isBlank();
    }
}
