package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.DemoDataProperties;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.LiveDemoProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.ingest.follow.DirectoryFollower;
import dev.pypianalytics.ingest.follow.FollowMetrics;
import dev.pypianalytics.clickhouse.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the live demo ({@link LiveDemo}) when {@code pypi.demo.live} is on (the default) and the warehouse holds
 * a generated demo data set: on its own thread, after start-up (so the first answers are not delayed), until
 * shutdown. The files go to {@code pypi.follow.directory} when set (the gateway's follower loads them), else to
 * a folder of their own, loaded by a follower started here for it (listing every second: the files are renamed
 * into place, so no quiet period is needed). Never on an attached warehouse.
 */
@Component
public class LiveDemoInGateway implements SmartLifecycle {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LiveDemoInGateway.class);

    private final LiveDemoProperties properties;
    private final LiveDemo demo;
    private final DirectoryFollower follower;
    private final Lease lease;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread generator;
    /** Whether new files are written (the follower keeps loading what is there either way). */
    private volatile boolean writing = true;
    private Thread following;

    LiveDemoInGateway(LiveDemoProperties properties, DemoDataProperties demoData, FollowProperties follow, WarehouseProperties warehouse,
                      ClickHouse clickHouse, MeterRegistry meters,
                      ObjectProvider<EmbeddedEngine> embedded, WarehouseSchema schemaIsReady) {
        this.properties = properties;
        if (!properties.live() || warehouse.attached()) {
            this.demo = null;
            this.follower = null;
            this.lease = null;
            return;
        }
        Path folder = properties.liveDirectory() != null ? properties.liveDirectory()
                : follow.enabled() ? follow.directory()
                : defaultFolder(embedded.getIfAvailable());
        this.demo = new LiveDemo(clickHouse, folder.toAbsolutePath().normalize(), demoData.seed(), Clock.systemUTC());
        boolean followedByGateway = follow.enabled() && follow.directory().toAbsolutePath().normalize().equals(demo.directory());
        if (followedByGateway) {
            this.follower = null;
            this.lease = null;
        } else {
            FollowProperties own = new FollowProperties(demo.directory(), Duration.ofSeconds(1), Duration.ZERO, follow.leaseDuration(),
                    follow.leaseSettle(), follow.retryInitial(), follow.retryMax(), follow.maxAttempts());
            this.lease = new Lease(clickHouse, Lease.FOLLOW, own.leaseDuration(), own.leaseSettle());
            // Its files are consecutive time slices (several a day once it has caught up), never the same rows twice:
            // a day already held by an earlier slice is not an overlapping re-export, so they are added.
            this.follower = new DirectoryFollower(clickHouse, own, lease, new FollowMetrics(meters, Clock.systemUTC()),
                    Progress.to(org.slf4j.LoggerFactory.getLogger(DirectoryFollower.class)), Clock.systemUTC(),
                    dev.pypianalytics.config.IngestProperties.Overlap.ADD);
        }
    }

    private static Path defaultFolder(EmbeddedEngine engine) {
        if (engine != null && engine.state().dataDir() != null) {
            Path data = engine.state().dataDir().toAbsolutePath().normalize();
            return data.resolveSibling(data.getFileName() + "-live-exports");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "pypi-gateway-live-exports");
    }

    /** The generator, or {@code null} when the live demo is off. */
    public LiveDemo demo() {
        return demo;
    }

    private void generate() {
        try {
            if (!demo.prepare()) {
                log.info("Live demo: this warehouse holds no generated demo data set, so no live downloads are written "
                        + "(pypi.demo.live only continues the demo data)");
                return;
            }
            log.info("Live demo: writing download exports from {} into {} every {} (pypi.demo.live=false turns this off)",
                    demo.next(), demo.directory(), properties.liveInterval());
            if (follower != null) {
                following = new Thread(follower::run, "pypi-live-demo-follow");
                following.setDaemon(true);
                following.start();
            }
            while (!stop.await(properties.liveInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    // With a follower of its own, only while that follower loads (another gateway's demo writes otherwise).
                    if (writing && (lease == null || lease.held())) {
                        demo.step(properties.liveInterval()).ifPresent(file -> log.debug("Live demo: wrote {}", file.file()));
                    }
                } catch (RuntimeException e) {
                    log.warn("Live demo: could not write the next file ({}); trying again", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Live demo stopped: {}", e.getMessage());
        }
    }

    /**
     * Stops writing new files while the demo's follower goes on loading the ones written, so it can catch up
     * (an operator's pause; {@link #stop()} also cancels a load in progress).
     */
    public void stopWriting() {
        writing = false;
    }

    @Override
    public synchronized void start() {
        if (demo != null && generator == null) {
            generator = new Thread(this::generate, "pypi-live-demo");
            generator.setDaemon(true);
            generator.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (generator == null) {
            return;
        }
        stop.countDown();
        if (follower != null) {
            follower.stop();
        }
        try {
            generator.join(Duration.ofSeconds(30));
            if (following != null) {
                following.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        generator = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return generator != null;
    }

    /** After the web server (and the gateway's own follower): the live demo never delays the first answers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    Optional<DirectoryFollower> follower() {
        return Optional.ofNullable(follower);
    }
}
