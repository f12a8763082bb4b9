package dev.pypianalytics.cli;

import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.follow.DirectoryFollower;
import dev.pypianalytics.ingest.follow.FollowMetrics;
import dev.pypianalytics.ingest.follow.FollowSource;
import dev.pypianalytics.ingest.follow.HttpSource;
import dev.pypianalytics.clickhouse.Lease;
import dev.pypianalytics.ingest.follow.SafeUrl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code follow --dir DIR | --url TEMPLATE | --manifest URL [--once]}: the follower in the foreground, with the gateway's
 * pypi.follow.* settings.
 */
@CommandLine.Command(name = "follow", sortOptions = false,
        customSynopsis = {
                "follow --dir DIR [--once] [--parallelism N]",
                "       follow --manifest URL [--once]  |  follow --url TEMPLATE [--once]"},
        description = {
                "Follow a folder of exports: load each complete new file once, in name order; files still",
                "being written wait until they stop changing; a broken file is quarantined with the reason",
                "and the next one loads (README, \"Following a folder\"). Runs until stopped; --once loads",
                "what is there and exits (1 if a file was quarantined). One follower per warehouse.",
                "--parallelism N: files loaded at a time (default pypi.follow.parallelism); files sharing",
                "a day are still published one after another, in name order.",
                "The same for an http(s) source: a manifest listing file URLs, or a date template such as",
                "https://host/pypi-{date}-{n}.parquet probed from --pypi.follow.from=YYYY-MM-DD to today",
                "(README, \"Following an http(s) source\")."})
final class FollowCommand implements Cli.WarehouseCommand {

    @CommandLine.Option(names = "--dir", paramLabel = "DIR", description = "a local folder of export files")
    String dir;

    @CommandLine.Option(names = "--url", paramLabel = "TEMPLATE", description = "an http(s) date template, e.g. https://host/pypi-{date}-{n}.parquet")
    String url;

    @CommandLine.Option(names = "--manifest", paramLabel = "URL", description = "an http(s) manifest listing file URLs")
    String manifest;

    @CommandLine.Option(names = "--once", description = "load what is there now, then exit")
    boolean once;

    @CommandLine.Option(names = "--parallelism", paramLabel = "N",
            description = "files loaded at a time, 1 to 64 (default: pypi.follow.parallelism)")
    String parallelism;

    @CommandLine.Parameters(arity = "0..*", hidden = true)
    List<String> extra = List.of();

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        long given = Stream.of(dir, url, manifest).filter(source -> source != null).count();
        if (given != 1 || !extra.isEmpty()) {
            throw new IllegalArgumentException("follow needs one of --dir DIR, --url TEMPLATE or --manifest URL "
                    + "(and takes no other arguments).");
        }
        boolean justOnce = once;
        Integer files = parallelism(parallelism);
        if (dir == null) {
            String template = url;
            String list = manifest;
            // Refused here, before ClickHouse starts; the messages show the URL masked.
            if (template != null) {
                HttpSource.template(template, null, Clock.systemUTC(), Duration.ofSeconds(1));
            } else {
                SafeUrl.parse(list);
            }
            return warehouse -> run(warehouse, settings -> withParallelism(settings.withHttp(template, list), files), justOnce,
                    warehouse.out());
        }
        Path folder = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new IngestException("No such folder: " + folder + ". Nothing was loaded.");
        }
        return warehouse -> run(warehouse, settings -> withParallelism(settings.withDirectory(folder), files), justOnce, warehouse.out());
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

    static int run(Cli.Warehouse warehouse, UnaryOperator<FollowProperties> source, boolean once, PrintStream out) {
        FollowProperties settings = source.apply(warehouse.context().getBean(FollowProperties.class));
        MeterRegistry meters = warehouse.context().getBeanProvider(MeterRegistry.class).getIfAvailable(SimpleMeterRegistry::new);
        Lease lease = new Lease(warehouse.clickHouse(), Lease.FOLLOW, settings.leaseDuration(), settings.leaseSettle());
        DirectoryFollower follower = new DirectoryFollower(warehouse.clickHouse(), settings,
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
