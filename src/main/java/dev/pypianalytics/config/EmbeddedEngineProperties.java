package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded ClickHouse engine, used when {@code pypi.clickhouse.url} is empty.
 *
 * @param dataDir          ClickHouse data directory; survives restarts (default under the user's data home)
 * @param cacheDir         where the engine package fetched with npm is kept, per user (default under the cache home)
 * @param port             HTTP port on 127.0.0.1; 0 picks a free one (logged at start)
 * @param enginePackage    npm package holding {@code libchdb}; empty = chosen from the OS and CPU
 * @param engineVersion    pinned version of that package
 * @param engineIntegrity  expected npm {@code sha512-...} integrity of the package; empty = the pinned one for the platform
 * @param npmCommand       npm executable used to fetch the package
 * @param startupTimeout   how long to wait for the engine to answer {@code /ping}
 * @param fetchTimeout     how long the one-time package download may take
 * @param stopTimeout      how long stopping waits for running queries (an ingestion) before it stops the engine anyway
 * @param restartBackoff   wait before the first attempt to restart an engine that died on its own; doubles after each
 *                         failed attempt. Attempts go on until the engine runs again (there is no last one)
 * @param restartBackoffMax the longest wait between two restart attempts
 * @param hostHeap         heap of the child JVM hosting the engine (the engine's own memory is native)
 */
@Validated
@ConfigurationProperties("pypi.embedded")
public record EmbeddedEngineProperties(
        Path dataDir,
        Path cacheDir,
        @Min(0) @Max(65535) @DefaultValue("0") int port,
        String enginePackage,
        @NotBlank @DefaultValue("26.7.3-stable.1") String engineVersion,
        String engineIntegrity,
        @NotBlank @DefaultValue("npm") String npmCommand,
        @NotNull @DefaultValue("120s") Duration startupTimeout,
        @NotNull @DefaultValue("20m") Duration fetchTimeout,
        @NotNull @DefaultValue("30s") Duration stopTimeout,
        @NotNull @DefaultValue("1s") Duration restartBackoff,
        @NotNull @DefaultValue("60s") Duration restartBackoffMax,
        @NotBlank @DefaultValue("96m") String hostHeap) {

    public EmbeddedEngineProperties {
        if (dataDir == null) {
            dataDir = userDir("XDG_DATA_HOME", ".local/share").resolve("pypi-gateway").resolve("clickhouse");
        }
        if (cacheDir == null) {
            cacheDir = userDir("XDG_CACHE_HOME", ".cache").resolve("pypi-gateway");
        }
        if (restartBackoff != null && (restartBackoff.isNegative() || restartBackoff.isZero())) {
            throw new IllegalArgumentException("pypi.embedded.restart-backoff must be positive, got " + restartBackoff);
        }
        if (restartBackoff != null && restartBackoffMax != null && restartBackoffMax.compareTo(restartBackoff) < 0) {
            throw new IllegalArgumentException("pypi.embedded.restart-backoff-max (" + restartBackoffMax
                    + ") must be at least pypi.embedded.restart-backoff (" + restartBackoff + ")");
        }
    }

    private static Path userDir(String xdgVariable, String fallbackUnderHome) {
        String xdg = System.getenv(xdgVariable);
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home")).resolve(fallbackUnderHome);
    }
}
