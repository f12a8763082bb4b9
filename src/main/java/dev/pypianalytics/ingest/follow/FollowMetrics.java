package dev.pypianalytics.ingest.follow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The follower's meters (Prometheus names): {@code pypi_ingest_files_total{outcome=loaded|duplicate|quarantined|failed}}
 * (failed = one attempt that hit a transient error and will be retried), {@code pypi_ingest_rows_total} (rows
 * added to pypi), and {@code pypi_ingest_lag_seconds}: now minus the end (next midnight, UTC) of the newest
 * day any loaded file holds, from the ledger; NaN before anything was loaded. It keeps growing while
 * nothing new arrives, which is the point: it measures how old the data is, not how busy the loader is.
 */
public final class FollowMetrics {

    private final Counter loaded;
    private final Counter duplicate;
    private final Counter quarantined;
    private final Counter failed;
    private final Counter rows;
    private final AtomicReference<LocalDate> newestDay = new AtomicReference<>();
    private final Clock clock;

    public FollowMetrics(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.loaded = files(meters, "loaded");
        this.duplicate = files(meters, "duplicate");
        this.quarantined = files(meters, "quarantined");
        this.failed = files(meters, "failed");
        this.rows = Counter.builder("pypi.ingest.rows").description("Download rows added to pypi by the follower")
                .register(meters);
        Gauge.builder("pypi.ingest.lag", this, FollowMetrics::lagSeconds).baseUnit("seconds")
                .description("Now minus the end of the newest loaded day (UTC)").register(meters);
    }

    private static Counter files(MeterRegistry meters, String outcome) {
        return Counter.builder("pypi.ingest.files").tag("outcome", outcome)
                .description("Export files handled by the follower, by outcome").register(meters);
    }

    void loaded(long added) {
        loaded.increment();
        rows.increment(added);
    }

    void duplicate() {
        duplicate.increment();
    }

    void quarantined() {
        quarantined.increment();
    }

    void failed() {
        failed.increment();
    }

    void newestDay(LocalDate day) {
        if (day != null) {
            newestDay.set(day);
        }
    }

    /** Seconds since the end of the newest loaded day, or NaN before any. */
    public double lagSeconds() {
        LocalDate day = newestDay.get();
        if (day == null) {
            return Double.NaN;
        }
        long end = day.plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return clock.millis() / 1000.0 - end;
    }
}
