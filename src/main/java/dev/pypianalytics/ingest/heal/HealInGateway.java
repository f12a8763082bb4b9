package dev.pypianalytics.ingest.heal;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.HealProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.follow.DirectoryFollower;
import dev.pypianalytics.ingest.follow.FollowInGateway;
import dev.pypianalytics.clickhouse.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link DayHealer} on a schedule when {@code pypi.heal.enabled} (or {@code repair}) is set, on an owned
 * warehouse only. Only one instance heals a warehouse, and never beside a load: a gateway that follows a folder
 * heals while it holds the follow lease, between its rounds of loading; one that does not follow takes the
 * follow lease itself for the check (so no follower anywhere loads meanwhile) and gives it back after, and skips
 * the check while another instance holds it.
 */
@Component
public class HealInGateway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HealInGateway.class);

    private final HealProperties properties;
    private final DayHealer healer;
    private final FollowInGateway follow;
    private final Lease lease;
    private ScheduledExecutorService scheduler;

    HealInGateway(HealProperties properties, WarehouseProperties warehouse, FollowProperties followProperties, FollowInGateway follow,
                  ClickHouse clickHouse, WarehouseSchema schemaIsReady) {
        this.properties = properties;
        this.follow = follow;
        if (!properties.active()) {
            this.healer = null;
            this.lease = null;
            return;
        }
        if (warehouse.attached()) {
            throw new IllegalStateException("pypi.heal is on, but pypi.warehouse.mode=ATTACHED marks the warehouse as someone "
                    + "else's (read-only): healing repairs days in it. Unset pypi.heal.enabled/repair, or heal your own warehouse.");
        }
        this.healer = new DayHealer(clickHouse, properties.repair(), Progress.to(log));
        this.lease = new Lease(clickHouse, Lease.FOLLOW, followProperties.leaseDuration(), followProperties.leaseSettle());
    }

    /**
     * One scheduled check, guarded as described above; empty when another instance holds the follow lease
     * (or healing is off).
     */
    public Optional<List<DayHealer.Healed>> healOnce() {
        if (healer == null) {
            return Optional.empty();
        }
        DirectoryFollower follower = follow.follower();
        if (follower != null) {
            Optional<List<DayHealer.Healed>> healed = follower.whileHoldingLease(() -> healer.healRecent(properties.days()));
            if (healed.isEmpty()) {
                log.debug("Self-healing skipped: this gateway does not hold the follow lease (the follower that does heals)");
            }
            return healed;
        }
        if (!lease.acquireOrRenew()) {
            log.info("Self-healing skipped: another instance holds this warehouse's follow lease");
            return Optional.empty();
        }
        long every = Math.max(1, lease.duration().toMillis() / 3);
        ScheduledFuture<?> renewal = scheduler == null ? null
                : scheduler.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
        try {
            return Optional.of(healer.healRecent(properties.days()));
        } finally {
            if (renewal != null) {
                renewal.cancel(false);
            }
            try {
                lease.release();
            } catch (RuntimeException e) {
                log.warn("Could not release the follow lease after self-healing (it expires by itself): {}", e.getMessage());
            }
        }
    }

    private void renewQuietly() {
        try {
            lease.renew();
        } catch (RuntimeException e) {
            log.warn("Could not renew the follow lease while self-healing: {}", e.getMessage());
        }
    }

    private void scheduled() {
        try {
            healOnce();
        } catch (RuntimeException e) {
            log.warn("Self-healing failed; trying again in {}: {}", properties.interval(), e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (healer != null && scheduler == null) {
            // Two threads: the check, and the lease's renewal while a long repair runs.
            scheduler = Executors.newScheduledThreadPool(2, task -> {
                Thread thread = new Thread(task, "pypi-heal");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::scheduled, properties.initialDelay().toMillis(), properties.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
            log.info("Self-healing: checking the last {} loaded day(s) every {}, {}", properties.days(), properties.interval(),
                    properties.repair() ? "repairing what it finds" : "reporting what it finds (pypi.heal.repair=false)");
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
