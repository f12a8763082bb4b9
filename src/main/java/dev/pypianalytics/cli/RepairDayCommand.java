package dev.pypianalytics.cli;

import dev.pypianalytics.ingest.RepairDay;
import dev.pypianalytics.ingest.Source;
import picocli.CommandLine;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** {@code repair-day --date D SOURCE}: replace one day with the source's rows. */
@CommandLine.Command(name = "repair-day", sortOptions = false, resourceBundle = "dev.pypianalytics.cli.RepairDayCommand",
        customSynopsis = "repair-day --date YYYY-MM-DD SOURCE",
        description = {
                "Replace one day: delete it from pypi and the daily aggregates, load that day's rows",
                "from SOURCE, and rebuild the aggregates not keyed by day for the projects it touches."})
final class RepairDayCommand implements Cli.WarehouseCommand {

    @CommandLine.Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "the day to replace")
    String date;

    @CommandLine.Mixin
    Commands.Sources sources;

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        Source.Format parsed = sources.format();
        LocalDate day = Commands.date("--date", date);
        if (day == null) {
            throw new IllegalArgumentException("repair-day needs --date YYYY-MM-DD.");
        }
        if (sources.given.size() != 1) {
            throw new IllegalArgumentException("repair-day needs exactly one source holding the day (a file or URL).");
        }
        List<Source> expanded = sources.expand(parsed);
        return warehouse -> {
            RepairDay.Outcome outcome = new RepairDay(warehouse.clickHouse()).repair(day, expanded, warehouse.progress());
            warehouse.out().printf(Locale.ROOT, "Repaired %s: %,d rows before, %,d after; rebuilt %s for %d project(s).%n",
                    outcome.day(), outcome.rowsBefore(), outcome.rowsAfter(), String.join(", ", outcome.rebuilt()), outcome.projects());
            return Cli.OK;
        };
    }
}
