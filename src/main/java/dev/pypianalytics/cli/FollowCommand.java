package dev.pypianalytics.cli;

import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.ingest.follow.DirectoryFollower;
import dev.pypianalytics.ingest.follow.FollowMetrics;
import dev.pypianalytics.ingest.follow.FollowSource;
import dev.pypianalytics.ingest.follow.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code follow --dir DIR | --url TEMPLATE | --manifest URL [--once]}: the follower in the foreground, with the gateway's
 * pypi.follow.* settings.
 */
final class FollowCommand {

    private FollowCommand() {
    }

    /**
     * The value of {@code --parallelism N} (files loaded at a time, as pypi.follow.parallelism), or {@code null} when not
     * given; refused unless a whole number 1..64.
     */
    static Integer parallelism(String option) {
        if (option == null) {
            return null;
        }
        try {
            int files = Integer.parseInt(option.strip());
            if (files >= 1 && files <= 64) {
                return files;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--parallelism takes a whole number of files from 1 to 64, not '" + option + "'.");
    }

    static FollowProperties withParallelism(FollowProperties settings, Integer parallelism) {
        return parallelism == null ? settings : settings.withParallelism(parallelism);
    }

    static int run(Cli.Warehouse warehouse, Path dir, boolean once, PrintStream out) {
        return run(warehouse, settings -> settings.withDirectory(dir), once, out);
    }

    static int run(Cli.Warehouse warehouse, java.util.function.UnaryOperator<FollowProperties> source, boolean once, PrintStream out) {
        FollowProperties settings = source.apply(warehouse.context().getBean(FollowProperties.class));
        MeterRegistry meters = warehouse.context().getBeanProvider(MeterRegistry.class).getIfAvailable(SimpleMeterRegistry::new);
        Lease lease = new Lease(warehouse.clickHouse(), Lease.FOLLOW, settings.leaseDuration(), settings.leaseSettle());
        DirectoryFollower follower = new DirectoryFollower(warehouse.clickHouse(), warehouse.http(), settings,
                FollowSource.of(settings, Clock.systemUTC()), lease, new FollowMetrics(meters, Clock.systemUTC()), warehouse.progress(),
                Clock.systemUTC(), warehouse.context().getBean(IngestProperties.class).overlap());
        if (once) {
            DirectoryFollower.Round round = follower.once();
            out.printf(Locale.ROOT, "%s: %d loaded (%,d rows added), %d duplicate(s), %d quarantined.%n",
                    follower.describe(), round.loaded(), round.rowsAdded(), round.duplicates(), round.quarantined());
            return round.quarantined() == 0 ? Cli.OK : Cli.FAILED;
        }
        // Ctrl-C: let a load in progress finish and give the lease up before the JVM exits.
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            follower.stop();
            try {
                done.await(lease.duration().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pypi-follow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            follower.run();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it waits for done.
            }
        }
        return Cli.OK;
    }
}
