package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.DemoDataProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.ingest.DemoData;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Stage;
import dev.pypianalytics.ingest.WarehouseData;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;

/** {@code generate [--rows N] [--days N] [--last-day D] [--seed N] [--replace]}: the deterministic demo data set. */
@CommandLine.Command(name = "generate", sortOptions = false,
        customSynopsis = "generate [--rows N] [--days N] [--last-day YYYY-MM-DD] [--seed N] [--replace]",
        description = {
                "Generate the deterministic demo data set (default " + DemoDataProperties.DEFAULT_ROWS + " downloads over "
                        + DemoDataProperties.DEFAULT_DAYS + " days",
                "ending " + DemoDataProperties.DEFAULT_LAST_DAY + ") and matching projects metadata. Refuses a warehouse that already",
                "holds downloads unless --replace (which empties it first)."})
final class GenerateCommand implements Cli.WarehouseCommand {

    // Defaults: the gateway's own (config/DemoDataProperties), so the command and a start-up into an empty warehouse agree.
    @CommandLine.Option(names = "--rows", paramLabel = "N", defaultValue = DemoDataProperties.DEFAULT_ROWS,
            description = "downloads, about (" + DemoDataProperties.MIN_ROWS + " to " + DemoDataProperties.MAX_ROWS + "; default ${DEFAULT-VALUE})")
    String rows;

    @CommandLine.Option(names = "--days", paramLabel = "N", defaultValue = DemoDataProperties.DEFAULT_DAYS,
            description = "days, ending on --last-day (" + DemoDataProperties.MIN_DAYS + " to " + DemoDataProperties.MAX_DAYS
                    + "; default ${DEFAULT-VALUE})")
    String days;

    @CommandLine.Option(names = "--last-day", paramLabel = "YYYY-MM-DD", defaultValue = DemoDataProperties.DEFAULT_LAST_DAY,
            description = "the last day (default ${DEFAULT-VALUE})")
    String lastDay;

    @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = DemoDataProperties.DEFAULT_SEED,
            description = "the generator's seed (default ${DEFAULT-VALUE})")
    String seed;

    @CommandLine.Option(names = "--replace", description = "empty a warehouse that holds downloads first (deletes all its data)")
    boolean replace;

    @CommandLine.Parameters(arity = "0..*", hidden = true)
    List<String> sources = List.of();

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        DemoDataProperties settings = new DemoDataProperties(DemoDataProperties.LoadWhenEmpty.NEVER,
                Commands.wholeNumber("--rows", rows), (int) Commands.wholeNumber("--days", days),
                Commands.date("--last-day", lastDay), Commands.wholeNumber("--seed", seed));
        if (settings.rows() < DemoDataProperties.MIN_ROWS || settings.rows() > DemoDataProperties.MAX_ROWS) {
            throw new IllegalArgumentException("--rows must be between " + DemoDataProperties.MIN_ROWS + " and " + DemoDataProperties.MAX_ROWS + ".");
        }
        if (settings.days() < DemoDataProperties.MIN_DAYS || settings.days() > DemoDataProperties.MAX_DAYS) {
            throw new IllegalArgumentException("--days must be between " + DemoDataProperties.MIN_DAYS + " and " + DemoDataProperties.MAX_DAYS + ".");
        }
        if (!sources.isEmpty()) {
            throw new IllegalArgumentException("generate takes no sources, got " + sources);
        }
        boolean empty = replace;
        return warehouse -> generate(warehouse, settings, empty);
    }

    private static int generate(Cli.Warehouse warehouse, DemoDataProperties settings, boolean replace) {
        WarehouseData data = new WarehouseData(warehouse.clickHouse());
        long existing = data.downloads();
        if (existing > 0 && !replace) {
            throw new IngestException(String.format(Locale.ROOT, "The warehouse already holds %,d downloads. generate writes demo "
                    + "data only into an empty warehouse; add --replace to empty it first (this deletes all its data).", existing));
        }
        if (existing > 0) {
            warehouse.progress().step(String.format(Locale.ROOT, "Emptying the warehouse (%,d downloads)", existing));
            data.truncateAll();
        }
        if (replace) {
            // Working tables of killed loads would otherwise outlive the data they were loading into.
            boolean ownEngine = warehouse.context().getBeanProvider(EmbeddedEngine.class).getIfAvailable() != null;
            List<String> dropped = Stage.sweep(warehouse.clickHouse(),
                    warehouse.context().getBean(IngestProperties.class).sweepAfter(ownEngine));
            if (!dropped.isEmpty()) {
                warehouse.progress().step("Dropped " + dropped.size() + " working table(s) left by interrupted loads");
            }
        }
        long rows = new DemoData(warehouse.clickHouse()).generate(settings, warehouse.progress());
        warehouse.out().printf(Locale.ROOT, "Generated %,d downloads.%n", rows);
        return Cli.OK;
    }
}
