package dev.pypianalytics.cli;

import dev.pypianalytics.ingest.Reconcile;
import dev.pypianalytics.ingest.Source;
import picocli.CommandLine;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** {@code reconcile [--table NAME | SOURCE...] [--from D] [--to D]}: rows per day against a source or the ledger. */
@CommandLine.Command(name = "reconcile", sortOptions = false, resourceBundle = "dev.pypianalytics.cli.ReconcileCommand",
        customSynopsis = "reconcile [--table NAME | SOURCE...] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
        description = {
                "Compare rows per day between a source (files, or a table with a timestamp or date",
                "column) and pypi, and list missing, short and excess days. With no source, compare",
                "with the ledger of loaded files and report days without rows. Exit code 3 if any."})
final class ReconcileCommand implements Cli.WarehouseCommand {

    @CommandLine.Option(names = "--table", paramLabel = "NAME", description = "a table to compare with instead of files")
    String table;

    @CommandLine.Mixin
    Commands.DayRange days;

    @CommandLine.Mixin
    Commands.Sources sources;

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        Source.Format parsed = sources.format();
        if (table != null && !sources.given.isEmpty()) {
            throw new IllegalArgumentException("reconcile takes either --table or sources, not both.");
        }
        List<Source> expanded = sources.expand(parsed);
        LocalDate[] range = days.checked();
        String name = table;
        return warehouse -> reconcile(warehouse, expanded, name, range[0], range[1]);
    }

    private static int reconcile(Cli.Warehouse warehouse, List<Source> sources, String table, LocalDate from, LocalDate to) {
        var out = warehouse.out();
        List<Reconcile.Row> rows = new Reconcile(warehouse.clickHouse()).run(sources, table, from, to, warehouse.progress());
        if (rows.isEmpty()) {
            out.println("Nothing to compare: no days in the source or in pypi.");
            return Cli.OK;
        }
        List<Reconcile.Row> problems = rows.stream().filter(row -> !row.status().equals("complete")).toList();
        List<Reconcile.Row> drift = rows.stream().filter(row -> row.aggregate() != row.pypi()).toList();
        out.printf(Locale.ROOT, "Checked %d day(s), %s..%s, against %s.%n", rows.size(), rows.getFirst().date(), rows.getLast().date(),
                table != null ? "table " + table : !sources.isEmpty() ? sources.size() + " source(s)" : "the ledger of loaded files");
        if (!problems.isEmpty() || !drift.isEmpty()) {
            out.printf(Locale.ROOT, "%-10s  %8s  %12s  %12s  %12s%n", "day", "status", "expected", "pypi", "aggregate");
            for (Reconcile.Row row : rows) {
                if (!row.status().equals("complete") || row.aggregate() != row.pypi()) {
                    out.printf(Locale.ROOT, "%-10s  %8s  %12s  %,12d  %,12d%n", row.date(), row.status(),
                            row.expected() == null ? "?" : String.format(Locale.ROOT, "%,d", row.expected()), row.pypi(), row.aggregate());
                }
            }
        }
        out.printf(Locale.ROOT, "%d complete, %d missing, %d short, %d excess; %d day(s) where the per-day aggregate disagrees with pypi.%n",
                rows.size() - problems.size(), count(problems, "missing"), count(problems, "short"), count(problems, "excess"), drift.size());
        if (!problems.isEmpty() || !drift.isEmpty()) {
            out.println("Repair a day with: repair-day --date <day> <file holding that day>");
        }
        return problems.isEmpty() && drift.isEmpty() ? Cli.OK : Cli.GAPS;
    }

    private static long count(List<Reconcile.Row> rows, String status) {
        return rows.stream().filter(row -> row.status().equals(status)).count();
    }
}
