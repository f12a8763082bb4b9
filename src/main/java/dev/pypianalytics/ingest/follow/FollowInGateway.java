package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.Lease;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.ingest.Progress;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/**
 * The gateway follows {@code pypi.follow.directory}, {@code pypi.follow.url} or {@code pypi.follow.manifest} when one
 * is set (off by default): on its own thread,
 * from start-up to shutdown, on its own (owned) warehouse only. Several gateways may be configured to
 * follow one warehouse; the lease lets one load at a time and another take over when it stops.
 */
@Component
public class FollowInGateway implements SmartLifecycle {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FollowInGateway.class);

    /** How long a shutdown waits for the follower's thread to end once its load is cancelled. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final DirectoryFollower follower;
    private Thread thread;

    FollowInGateway(FollowProperties properties, WarehouseProperties warehouse, ClickHouse clickHouse,
                    ClickHouseProperties clickHouseProperties, MeterRegistry meters, WarehouseSchema schemaIsReady,
                    org.springframework.beans.factory.ObjectProvider<IngestProperties> ingest) {
        if (!properties.enabled()) {
            this.follower = null;
            return;
        }
        String setting = String.join(", ", properties.sources());
        if (properties.sources().size() > 1) {
            throw new IllegalStateException("Set only one of " + setting + ": they are different sources to follow.");
        }
        if (warehouse.attached()) {
            throw new IllegalStateException(setting + " is set, but pypi.warehouse.mode=ATTACHED marks the warehouse "
                    + "as someone else's (read-only): following loads files into it. Follow into your own warehouse, or unset "
                    + setting + ".");
        }
        if (properties.objectStorageQueue().enabled()) {
            if (clickHouseProperties.url() == null) {
                throw new IllegalStateException("pypi.follow.object-storage-queue.path is set, but the warehouse is the embedded "
                        + "engine: ClickHouse's S3Queue engine needs an external server with S3 access and Keeper. Set "
                        + "pypi.clickhouse.url, or follow with pypi.follow.directory/url/manifest instead.");
            }
            for (String statement : dev.pypianalytics.ingest.ObjectStorageQueueDdl.statements(properties.objectStorageQueue())) {
                clickHouse.execute(dev.pypianalytics.clickhouse.Sql.of(statement)).block();
            }
            log.info("ClickHouse follows {} itself (S3Queue table {})", dev.pypianalytics.ingest.follow.SafeUrl.mask(
                    properties.objectStorageQueue().path()), properties.objectStorageQueue().table());
            this.follower = null;
            return;
        }
        if (properties.directory() != null && !properties.directory().toString().isBlank() && !Files.isDirectory(properties.directory())) {
            throw new IllegalStateException("pypi.follow.directory=" + properties.directory() + " does not exist or is not a folder.");
        }
        FollowSource source;
        try {
            source = FollowSource.of(properties, Clock.systemUTC());
        } catch (dev.pypianalytics.ingest.IngestException e) {
            throw new IllegalStateException(setting + ": " + e.getMessage());
        }
        Lease lease = new Lease(clickHouse, Lease.FOLLOW, properties.leaseDuration(), properties.leaseSettle());
        this.follower = new DirectoryFollower(clickHouse, properties, source, lease, new FollowMetrics(meters, Clock.systemUTC()),
                Progress.to(log), Clock.systemUTC(), ingest.getIfAvailable(IngestProperties::defaults).overlap());
    }

    /** The follower, or {@code null} when following is off. */
    public DirectoryFollower follower() {
        return follower;
    }

    @Override
    public synchronized void start() {
        if (follower != null && thread == null) {
            thread = new Thread(follower::run, "pypi-follow");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (thread != null) {
            // Before the engine stops (it is stopped last, after every lifecycle): a load in progress has its statement
            // cancelled, and the follower retries nothing; the lease is released as its thread ends. Cancelling again
            // each second covers a statement that started just after the first cancel. What the load leaves is handled at
            // the next start (its working table swept, a publish cut midway resumed).
            long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            try {
                do {
                    try {
                        follower.stop();
                    } catch (RuntimeException e) {
                        log.warn("Could not cancel the follower's load: {}", e.getMessage());
                    }
                    thread.join(Duration.ofSeconds(1));
                } while (thread.isAlive() && System.nanoTime() < deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("The follower did not stop within {}; shutting down without it", STOP_WAIT);
            }
            thread = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
