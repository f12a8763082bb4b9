package dev.pypianalytics.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Following a source of download exports (README, "Following a folder", "Following an http(s) source"): off unless
 * one of {@code directory}, {@code url}, {@code manifest} or {@code objectStorageQueue.path} is set (at most one).
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
 * @param url           an http(s) date template to follow, e.g. {@code https://host/pypi-{date}-{n:3}.parquet}
 *                      (probe rule in {@code HttpSource})
 * @param manifest      an http(s) URL listing the files to follow (one URL a line, or JSON)
 * @param from          the first day a date template is probed for; unset = two days before today (UTC)
 * @param fetchTimeout  longest wait for one http(s) request (a manifest, a probe, a file's download)
 * @param objectStorageQueue ClickHouse's own S3Queue engine instead of this gateway's follower (external server only)
 * @param parallelism   files of one listing loaded at a time (README, "Following a folder": files sharing a day are still
 *                      checked and published one after another, in name order); 1 = one file at a time. With
 *                      {@code pypi.ingest.overlap=REPLACE} the follower loads one file at a time whatever this says
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
        @Min(1) @Max(1000) @DefaultValue("5") int maxAttempts,
        String url,
        String manifest,
        LocalDate from,
        @NotNull @DefaultValue("5m") Duration fetchTimeout,
        @NotNull @DefaultValue ObjectStorageQueue objectStorageQueue,
        @Min(1) @Max(64) @DefaultValue("1") int parallelism) {

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public FollowProperties {
    }

    /** The settings of a folder follower that loads one file at a time (defaults for the http(s) and queue settings). */
    public FollowProperties(Path directory, Duration pollInterval, Duration quietPeriod, Duration leaseDuration, Duration leaseSettle,
                            Duration retryInitial, Duration retryMax, int maxAttempts) {
        this(directory, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts, null, null, null,
                Duration.ofMinutes(5), ObjectStorageQueue.OFF, 1);
    }

    /** The settings of a source of download exports (no object-storage queue) that loads one file at a time. */
    public FollowProperties(Path directory, Duration pollInterval, Duration quietPeriod, Duration leaseDuration, Duration leaseSettle,
                            Duration retryInitial, Duration retryMax, int maxAttempts, String url, String manifest, LocalDate from,
                            Duration fetchTimeout, ObjectStorageQueue objectStorageQueue) {
        this(directory, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts, url, manifest, from,
                fetchTimeout, objectStorageQueue, 1);
    }

    /** The same settings, loading {@code files} files of one listing at a time. */
    public FollowProperties withParallelism(int files) {
        if (files < 1 || files > 64) {
            throw new IllegalArgumentException("parallelism must be 1..64, not " + files);
        }
        return new FollowProperties(directory, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts,
                url, manifest, from, fetchTimeout, objectStorageQueue, files);
    }

    /**
     * ClickHouse's S3Queue engine (README, "ClickHouse's own queue"): when {@code path} is set, the gateway creates a
     * queue table over it and a materialized view from it into pypi_raw on the external server at start-up.
     *
     * @param path              the bucket URL with a glob, e.g. {@code https://bucket.s3.amazonaws.com/pypi/*.parquet}
     * @param namedCollection   a server-side named collection holding the credentials (recommended: keys stay out of DDL)
     * @param format            Parquet or JSONEachRow; unset = told by the path's extension
     * @param mode              ordered (files in name order; a name sorting before the last loaded one is ignored) or unordered
     * @param keeperPath        where the engine keeps which files it processed (ZooKeeper/Keeper); unset = engine default
     * @param loadingRetries    retries of a failing file before the engine marks it failed (its quarantine)
     * @param processingThreads files read at a time (1 keeps the order strict)
     * @param table             the queue table's name; the view is named {@code <table>_mv}
     */
    public record ObjectStorageQueue(
            String path,
            String namedCollection,
            String format,
            @NotNull @DefaultValue("ordered") @jakarta.validation.constraints.Pattern(regexp = "ordered|unordered") String mode,
            String keeperPath,
            @Min(0) @Max(1000) @DefaultValue("5") int loadingRetries,
            @Min(1) @Max(256) @DefaultValue("1") int processingThreads,
            @NotNull @DefaultValue("pypi_s3queue")
            @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*") String table) {

        public static final ObjectStorageQueue OFF = new ObjectStorageQueue(null, null, null, "ordered", null, 5, 1, "pypi_s3queue");

        public boolean enabled() {
            return path != null && !path.isBlank();
        }
    }

    /** Whether a source is set (the gateway follows it). */
    public boolean enabled() {
        return !sources().isEmpty();
    }

    /** The source settings that are set, by name; more than one is a configuration error. */
    public List<String> sources() {
        List<String> set = new ArrayList<>();
        if (directory != null && !directory.toString().isBlank()) {
            set.add("pypi.follow.directory");
        }
        if (url != null && !url.isBlank()) {
            set.add("pypi.follow.url");
        }
        if (manifest != null && !manifest.isBlank()) {
            set.add("pypi.follow.manifest");
        }
        if (objectStorageQueue != null && objectStorageQueue.enabled()) {
            set.add("pypi.follow.object-storage-queue.path");
        }
        return set;
    }

    /** The same settings for another folder (the follow command). */
    public FollowProperties withDirectory(Path folder) {
        return new FollowProperties(folder, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts,
                null, null, from, fetchTimeout, ObjectStorageQueue.OFF, parallelism);
    }

    /** The same settings for an http(s) source (the follow command): a date template or a manifest. */
    public FollowProperties withHttp(String template, String manifestUrl) {
        return new FollowProperties(null, pollInterval, quietPeriod, leaseDuration, leaseSettle, retryInitial, retryMax, maxAttempts,
                template, manifestUrl, from, fetchTimeout, ObjectStorageQueue.OFF, parallelism);
    }
}
