package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Source;

import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code validate [--shadow NAME] [--from D] [--to D] SOURCE...}: the parallel run before a switch of pipelines.
 * The files are loaded through this gateway's loader into a shadow database on the same server (emptied first,
 * created with the same schema files), and the downloads per day and project are compared with the live
 * warehouse's, both in {@code pypi} and in the per-project daily aggregate the API reads. Exit code 0 when they
 * agree, 3 when they differ (the differences printed), 1 when a file could not be loaded into the shadow.
 */
@CommandLine.Command(name = "validate", sortOptions = false, resourceBundle = "dev.pypianalytics.cli.ValidateCommand",
        customSynopsis = "validate [--shadow NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD] SOURCE...",
        description = {
                "Parallel run before a switch: load SOURCE through this loader into a shadow database",
                "(default " + ValidateCommand.SHADOW + ", emptied first) and compare downloads per day and project with the",
                "live warehouse. Exit code 3 (and the differences printed) if they differ."})
final class ValidateCommand implements Cli.WarehouseCommand {

    /** Default name of the shadow database. */
    static final String SHADOW = "pypi_shadow";

    @CommandLine.Option(names = "--shadow", paramLabel = "NAME", defaultValue = SHADOW,
            description = "the shadow database, emptied first (default ${DEFAULT-VALUE})")
    String shadow;

    @CommandLine.Mixin
    Commands.DayRange days;

    @CommandLine.Mixin
    Commands.Sources sources;

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        Source.Format parsed = sources.format();
        if (!shadow.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--shadow must be a database name (a plain identifier), got '" + shadow + "'.");
        }
        if (sources.given.isEmpty()) {
            throw new IllegalArgumentException("validate needs the files to load into the shadow (files, globs or URLs).");
        }
        List<Source> expanded = sources.expand(parsed);
        LocalDate[] range = days.checked();
        String database = shadow;
        return warehouse -> run(warehouse, expanded, database, range[0], range[1], warehouse.out());
    }

    /** Per-project differences printed at most (the per-day totals are always all printed). */
    static final int MAX_LISTED = 50;

    private static final Set<String> NEVER_SHADOW = Set.of("system", "default", "information_schema");
    private static final Duration LONG = Duration.ofHours(6);

    private record Difference(LocalDate date, String project, long live, long liveAggregate, long shadow) {
    }

    static int run(Cli.Warehouse warehouse, List<Source> sources, String shadow, LocalDate from, LocalDate to, PrintStream out) {
        ClickHouseEndpoint endpoint = warehouse.context().getBean(ClickHouseEndpoint.class);
        String github = warehouse.context().getBean(GithubProperties.class).database();
        if (shadow.equalsIgnoreCase(endpoint.database()) || shadow.equalsIgnoreCase(github) || NEVER_SHADOW.contains(shadow.toLowerCase(Locale.ROOT))) {
            throw new IngestException("--shadow " + shadow + " would empty a database in use (the live warehouse is " + endpoint.database()
                    + "); name a database of its own, such as " + SHADOW + ".");
        }
        ClickHouse live = warehouse.clickHouse();
        warehouse.progress().step("Emptying the shadow database " + shadow + " and creating its schema");
        // The name was checked as a plain identifier before anything started.
        live.execute(Sql.of("DROP DATABASE IF EXISTS `" + shadow + "` SYNC").withTimeout(LONG)).block();
        ClickHouse shadowWarehouse = warehouse.context().getBean(WarehouseSchema.class).migrateAnother(shadow);

        Ingest loader = new Ingest(shadowWarehouse);
        int failed = 0;
        for (Source source : sources) {
            warehouse.progress().step("Loading " + source.location() + " into " + shadow);
            try {
                Ingest.Outcome outcome = loader.load(source, warehouse.progress());
                warehouse.progress().step("  " + source.location() + ": " + outcome.message());
            } catch (IngestException e) {
                failed++;
                out.println("Not loaded into the shadow: " + source.location() + ": " + e.getMessage());
            }
        }

        LocalDate first = from;
        LocalDate last = to;
        if (first == null || last == null) {
            LocalDate[] bounds = shadowWarehouse.queryOne(Sql.of("SELECT min(date) AS first, max(date) AS last, count() AS n FROM pypi"),
                    row -> row.getLong("n") == 0 ? new LocalDate[2] : new LocalDate[] {row.getDate("first"), row.getDate("last")}).block();
            first = first != null ? first : bounds[0];
            last = last != null ? last : bounds[1];
        }
        if (first == null || last == null) {
            out.println("Nothing to compare: the shadow holds no downloads.");
            return failed == 0 ? Cli.OK : Cli.FAILED;
        }
        String counts = """
                SELECT %s, sum(live) AS live, sum(live_view) AS live_view, sum(shadow) AS shadow FROM (
                    SELECT date, project, toInt64(count()) AS live, toInt64(0) AS live_view, toInt64(0) AS shadow
                    FROM pypi WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date, project
                    UNION ALL
                    SELECT date, project, toInt64(0), toInt64(sum(count)), toInt64(0)
                    FROM pypi_project_downloads_per_day WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date, project
                    UNION ALL
                    SELECT date, project, toInt64(0), toInt64(0), toInt64(count())
                    FROM `%s`.pypi WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date, project
                ) GROUP BY %s HAVING live != shadow OR live_view != shadow ORDER BY %s""";
        List<Difference> days = live.query(Sql.of(counts.formatted("date, '' AS project", shadow, "date", "date"))
                        .bind("from", first).bind("to", last).withTimeout(LONG),
                row -> new Difference(row.getDate("date"), "", row.getLong("live"), row.getLong("live_view"), row.getLong("shadow")))
                .collectList().block();
        List<Difference> projects = live.query(Sql.of(counts.formatted("date, project", shadow, "date, project", "date, project"))
                        .bind("from", first).bind("to", last).withTimeout(LONG),
                row -> new Difference(row.getDate("date"), row.getString("project"), row.getLong("live"), row.getLong("live_view"),
                        row.getLong("shadow")))
                .collectList().block();

        long dayCount = first.datesUntil(last.plusDays(1)).count();
        out.printf(Locale.ROOT, "Compared %d day(s), %s..%s, per day and project: the live database %s (pypi and "
                + "pypi_project_downloads_per_day) against %d file(s) loaded into %s.%n", dayCount, first, last, endpoint.database(), sources.size() - failed, shadow);
        if (projects.isEmpty()) {
            out.println("No differences: the live warehouse holds what the files hold.");
        } else {
            out.printf(Locale.ROOT, "%-10s  %14s  %14s  %14s%n", "day", "live pypi", "live aggregate", "shadow");
            for (Difference day : days) {
                out.printf(Locale.ROOT, "%-10s  %,14d  %,14d  %,14d%n", day.date(), day.live(), day.liveAggregate(), day.shadow());
            }
            out.printf(Locale.ROOT, "%n%-10s  %-30s  %14s  %14s  %14s%n", "day", "project", "live pypi", "live aggregate", "shadow");
            for (Difference difference : projects.subList(0, Math.min(MAX_LISTED, projects.size()))) {
                out.printf(Locale.ROOT, "%-10s  %-30s  %,14d  %,14d  %,14d%n", difference.date(), difference.project(), difference.live(),
                        difference.liveAggregate(), difference.shadow());
            }
            if (projects.size() > MAX_LISTED) {
                out.printf(Locale.ROOT, "... and %,d more (SELECT in %s to see them all).%n", projects.size() - MAX_LISTED, shadow);
            }
            out.printf(Locale.ROOT, "%,d difference(s) over %d day(s). Repair a day with: repair-day --date <day> <file holding that day>%n",
                    projects.size(), days.size());
        }
        if (failed > 0) {
            out.printf(Locale.ROOT, "%d file(s) could not be loaded into the shadow; their days are compared without them.%n", failed);
            return Cli.FAILED;
        }
        return projects.isEmpty() ? Cli.OK : Cli.GAPS;
    }
}
