package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.FreshnessProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.ingest.follow.DirectoryFollower;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How current the data is ({@code Query.freshness}, the health check, badges, {@code pypi_data_lag_seconds}).
 *
 * <p>The last day with downloads comes from the {@link DataVersion} snapshot (no statement of its own); the last
 * complete day from {@code pypi_freshness}; the loads, interrupted loads, quarantined files and whether a follower
 * holds the lease from the ledger tables in one statement; the files waiting in the followed folder from a listing
 * of it. On an attached warehouse there are no ledger tables of ours: those parts are {@code null}, never an error.
 */
@Service
public class DataFreshness {

    /**
     * What {@code Query.freshness} answers.
     *
     * @param lastDay           the last day with downloads ({@code null}: none)
     * @param lastCompleteDay   the last day checked complete ({@code null}: none, or attached)
     * @param lagSeconds        now minus the end of {@code lastDay} (UTC), {@code null} without data
     * @param stale             past {@code pypi.freshness.stale-after} (never when it is unset)
     * @param staleAfterSeconds the threshold, {@code null} when unset
     * @param filesPending      files in the followed folder not handled yet; {@code null} when this gateway follows none
     * @param filesQuarantined  files the follower quarantined ({@code null}: attached)
     * @param loadsInterrupted  ledger entries still {@code publishing} (a load stopped mid-publish; {@code null}: attached)
     * @param lastLoadAt        when the ledger last recorded a loaded file ({@code null}: never, or attached)
     * @param followerActive    whether a follower holds this warehouse's follow lease ({@code null}: attached)
     */
    public record Report(LocalDate lastDay, LocalDate lastCompleteDay, Long lagSeconds, boolean stale, Long staleAfterSeconds,
                         Integer filesPending, Integer filesQuarantined, Integer loadsInterrupted, OffsetDateTime lastLoadAt,
                         Boolean followerActive) {
    }

    /** The ledger's part of a report. */
    private record Ledger(int quarantined, int interrupted, OffsetDateTime lastLoad, boolean followerActive) {
    }

    private static final Sql LEDGER = Sql.of("""
            SELECT
                (SELECT countIf(status = 'quarantined') FROM ingest_follow_files FINAL) AS quarantined,
                (SELECT countIf(status = 'publishing') FROM ingest_files FINAL) AS interrupted,
                (SELECT countIf(status = 'loaded') FROM ingest_files FINAL) AS loads,
                (SELECT toUnixTimestamp64Milli(maxIf(updated_at, status = 'loaded')) FROM ingest_files FINAL) AS last_load,
                ifNull((SELECT toUInt8(expires_at > now64(3)) FROM ingest_lease FINAL WHERE name = 'follow'
                        ORDER BY term DESC, claimed_at ASC, holder ASC LIMIT 1), 0) AS follower""");

    private final DataVersion version;
    private final WarehouseStats stats;
    private final ClickHouse clickHouse;
    private final boolean attached;
    private final Path followed;
    private final DataLag thresholds;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public DataFreshness(DataVersion version, WarehouseStats stats, HttpClickHouse clickHouse, WarehouseProperties warehouse,
                         FollowProperties follow, FreshnessProperties freshness, MeterRegistry meters) {
        this(version, stats, clickHouse, warehouse.attached(), follow.enabled() ? follow.directory().toAbsolutePath().normalize() : null,
                thresholds(freshness), Clock.systemUTC());
        // Whether or not this gateway follows a folder (pypi_ingest_lag_seconds is the follower's, over its ledger).
        Gauge.builder("pypi.data.lag", this, DataFreshness::lagNow).baseUnit("seconds")
                .description("Now minus the end (UTC) of the last day with downloads; NaN without data").register(meters);
    }

    DataFreshness(DataVersion version, WarehouseStats stats, ClickHouse clickHouse, boolean attached, Path followed, DataLag thresholds,
                  Clock clock) {
        this.version = version;
        this.stats = stats;
        this.clickHouse = clickHouse;
        this.attached = attached;
        this.followed = followed;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** The configured thresholds. */
    public static DataLag thresholds(FreshnessProperties properties) {
        return new DataLag(properties.staleAfter(), properties.warnAfter(), properties.downAfter());
    }

    public DataLag thresholds() {
        return thresholds;
    }

    /** The last day with downloads (the data version's snapshot: no statement of its own); empty without data. */
    public Mono<LocalDate> lastDay() {
        return version.lastDay();
    }

    /** Seconds since the end of the last day with downloads, now; {@code null} without data. */
    public Long lag(LocalDate lastDay) {
        return DataLag.seconds(lastDay, clock.instant());
    }

    /** Whether data whose last day is this one is stale now. */
    public boolean stale(LocalDate lastDay) {
        return thresholds.stale(lag(lastDay));
    }

    /** The whole report. */
    public Mono<Report> report() {
        Mono<java.util.Optional<LocalDate>> lastDay = version.current().map(snapshot -> java.util.Optional.ofNullable(snapshot.lastDay()));
        Mono<java.util.Optional<LocalDate>> complete = stats.lastCompleteDay().map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty());
        Mono<java.util.Optional<Ledger>> ledger = attached ? Mono.just(java.util.Optional.empty()) : ledger().map(java.util.Optional::of);
        Mono<java.util.Optional<Integer>> pending = followed == null ? Mono.just(java.util.Optional.empty()) : pending().map(java.util.Optional::of);
        return Mono.zip(lastDay, complete, ledger, pending).map(all -> {
            LocalDate day = all.getT1().orElse(null);
            Long lag = lag(day);
            Ledger records = all.getT3().orElse(null);
            return new Report(day, all.getT2().orElse(null), lag, thresholds.stale(lag),
                    thresholds.staleAfter() == null ? null : thresholds.staleAfter().toSeconds(), all.getT4().orElse(null),
                    records == null ? null : records.quarantined(), records == null ? null : records.interrupted(),
                    records == null ? null : records.lastLoad(), records == null ? null : records.followerActive());
        });
    }

    private Mono<Ledger> ledger() {
        return clickHouse.queryOne(LEDGER, row -> new Ledger((int) row.getLong("quarantined"), (int) row.getLong("interrupted"),
                row.getLong("loads") == 0 ? null : Instant.ofEpochMilli(row.getLong("last_load")).atOffset(ZoneOffset.UTC),
                row.getLong("follower") == 1));
    }

    /**
     * Files in the followed folder that the follower would read and has not handled as they are now (no record with
     * this size and modification time): waiting for their turn, or still being written.
     */
    private Mono<Integer> pending() {
        String prefix = followed.toString().endsWith("/") ? followed.toString() : followed + "/";
        Mono<Map<String, String>> handled = clickHouse.query(Sql.of("""
                        SELECT source, concat(toString(size), '|', toString(toUnixTimestamp64Milli(modified))) AS seen
                        FROM ingest_follow_files FINAL WHERE startsWith(source, {prefix:String})""").bind("prefix", prefix),
                row -> Map.entry(row.getString("source"), row.getString("seen")))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<Map<String, String>> present = Mono.fromCallable(this::listFollowed).subscribeOn(Schedulers.boundedElastic());
        return Mono.zip(handled, present).map(both -> (int) both.getT2().entrySet().stream()
                .filter(file -> !file.getValue().equals(both.getT1().get(file.getKey()))).count());
    }

    /** The followed folder's candidate files (not empty) with size|modified; empty when the folder cannot be read. */
    private Map<String, String> listFollowed() {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> listing = Files.list(followed)) {
            List<Path> candidates = listing.filter(file -> DirectoryFollower.candidateName(file.getFileName().toString())).toList();
            for (Path file : candidates) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile() && attributes.size() > 0) {
                        files.put(file.toString(), attributes.size() + "|" + attributes.lastModifiedTime().toMillis());
                    }
                } catch (IOException gone) {
                    // Removed since the listing.
                }
            }
        } catch (IOException e) {
            return files;
        }
        return files;
    }

    /** For the gauge: refreshes the snapshot in the background (at most every version check) and reads the last one. */
    private double lagNow() {
        version.current().subscribe(snapshot -> { }, failure -> { });
        Long lag = version.lastRead().map(snapshot -> lag(snapshot.lastDay())).orElse(null);
        return lag == null ? Double.NaN : lag;
    }
}
