package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.ClickHouseHttp;
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
 * The gateway follows {@code pypi.follow.directory} when it is set (off by default): on its own thread,
 * from start-up to shutdown, on its own (owned) warehouse only. Several gateways may be configured to
 * follow one warehouse; the lease lets one load at a time and another take over when it stops.
 */
@Component
public class FollowInGateway implements SmartLifecycle {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FollowInGateway.class);

    private final DirectoryFollower follower;
    private Thread thread;

    FollowInGateway(FollowProperties properties, WarehouseProperties warehouse, ClickHouse clickHouse, ClickHouseEndpoint endpoint,
                    ClickHouseProperties clickHouseProperties, MeterRegistry meters, WarehouseSchema schemaIsReady,
                    org.springframework.beans.factory.ObjectProvider<IngestProperties> ingest) {
        if (!properties.enabled()) {
            this.follower = null;
            return;
        }
        if (warehouse.attached()) {
            throw new IllegalStateException("pypi.follow.directory is set, but pypi.warehouse.mode=ATTACHED marks the warehouse "
                    + "as someone else's (read-only): following loads files into it. Follow into your own warehouse, or unset "
                    + "pypi.follow.directory.");
        }
        if (!Files.isDirectory(properties.directory())) {
            throw new IllegalStateException("pypi.follow.directory=" + properties.directory() + " does not exist or is not a folder.");
        }
        Lease lease = new Lease(clickHouse, Lease.FOLLOW, properties.leaseDuration(), properties.leaseSettle());
        this.follower = new DirectoryFollower(clickHouse, new ClickHouseHttp(endpoint, clickHouseProperties.connectTimeout()), properties,
                lease, new FollowMetrics(meters, Clock.systemUTC()), Progress.to(log), Clock.systemUTC(),
                ingest.getIfAvailable(IngestProperties::defaults).overlap());
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
            follower.stop();
            try {
                // A load in progress finishes (or fails cleanly) first; the lease is released after it.
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
