package dev.pypianalytics.cli;

import dev.pypianalytics.PypiGatewayApplication;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.ClickHouseHttp;
import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.config.DemoDataProperties;
import dev.pypianalytics.config.EmbeddedEngineProperties;
import dev.pypianalytics.github.GithubArchive;
import dev.pypianalytics.ingest.DemoData;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Reconcile;
import dev.pypianalytics.ingest.RepairDay;
import dev.pypianalytics.ingest.Source;
import dev.pypianalytics.ingest.Stage;
import dev.pypianalytics.ingest.WarehouseData;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The warehouse commands of the gateway's jar: {@code ingest}, {@code generate}, {@code reconcile},
 * {@code repair-day}. They run against the same ClickHouse the gateway is configured for (the embedded
 * engine by default, or {@code PYPI_CLICKHOUSE_URL}); when a gateway already runs the embedded engine
 * on the same data directory, they use that engine.
 *
 * <p>Exit codes: 0 done; 1 failed (the message says why; nothing half-counted); 2 wrong usage;
 * 3 reconcile found missing, short or excess days; 4 ClickHouse unreachable or the schema not usable.
 */
public final class Cli {

    public static final Set<String> COMMANDS = Set.of("ingest", "generate", "reconcile", "repair-day", "follow", "validate", "help", "--help", "-h");

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int GAPS = 3;
    static final int UNAVAILABLE = 4;

    private static final String USAGE_TEXT = """
            Usage: java -jar pypi-analytics-gateway.jar <command> [options]
                   (or ./mvnw -q spring-boot:run -Dspring-boot.run.arguments="<command> [options]")

            Commands:
              ingest [--format parquet|ndjson] SOURCE...
                  Load PyPI download exports (BigQuery file_downloads, Parquet or newline-delimited JSON,
                  optionally .gz/.zst) into pypi and every aggregate. SOURCE is a file, a glob such as
                  'exports/2026-03-*.parquet' (quote it), or an http(s) URL (fetched by ClickHouse).
                  Each source is checked before anything is written; rows already loaded (same content
                  under any name) are skipped, so re-running is safe.
              ingest --format gharchive SOURCE...
                  Load GH Archive hourly files (gharchive.org, e.g. 2026-03-01-15.json.gz) into the GitHub
                  events (pypi.github.database) behind Project.repository. Each file is checked before
                  anything is written; loading a file twice changes no figure.
              generate [--rows N] [--days N] [--last-day YYYY-MM-DD] [--seed N] [--replace]
                  Generate the deterministic demo data set (default 2,500,000 downloads over three years
                  ending 2026-03-31) and matching projects metadata. Refuses a warehouse that already
                  holds downloads unless --replace (which empties it first).
              reconcile [--table NAME | SOURCE...] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                  Compare rows per day between a source (files, or a table with a timestamp or date
                  column) and pypi, and list missing, short and excess days. With no source, compare
                  with the ledger of loaded files and report days without rows. Exit code 3 if any.
              repair-day --date YYYY-MM-DD SOURCE
                  Replace one day: delete it from pypi and the daily aggregates, load that day's rows
                  from SOURCE, and rebuild the aggregates not keyed by day for the projects it touches.
              follow --dir DIR [--once] [--parallelism N]
                  Follow a folder of exports: load each complete new file once, in name order; files still
                  being written wait until they stop changing; a broken file is quarantined with the reason
                  and the next one loads (README, "Following a folder"). Runs until stopped; --once loads
                  what is there and exits (1 if a file was quarantined). One follower per warehouse.
                  --parallelism N: files loaded at a time (default pypi.follow.parallelism); files sharing
                  a day are still published one after another, in name order.
              follow --manifest URL [--once]  |  follow --url TEMPLATE [--once]
                  The same for an http(s) source: a manifest listing file URLs, or a date template such as
                  https://host/pypi-{date}-{n}.parquet probed from --pypi.follow.from=YYYY-MM-DD to today
                  (README, "Following an http(s) source").
              validate [--shadow NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD] SOURCE...
                  Parallel run before a switch: load SOURCE through this loader into a shadow database
                  (default pypi_shadow, emptied first) and compare downloads per day and project with the
                  live warehouse. Exit code 3 (and the differences printed) if they differ.

            ClickHouse: the embedded engine (data in ~/.local/share/pypi-gateway/clickhouse, or
            PYPI_EMBEDDED_DATA_DIR), or an external server with PYPI_CLICKHOUSE_URL, PYPI_CLICKHOUSE_USER,
            PYPI_CLICKHOUSE_PASSWORD, PYPI_CLICKHOUSE_DATABASE. Any --pypi.* option is passed on.

            Exit codes: 0 done, 1 failed (nothing half-counted), 2 wrong usage, 3 reconcile found gaps (validate: differences),
            4 ClickHouse unreachable.
            """;

    private final PrintStream out;
    private final PrintStream err;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs a command line; returns the process exit code. */
    public static int run(String[] args) {
        return new Cli(System.out, System.err).execute(args);
    }

    int execute(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for usage.");
            return USAGE;
        }
        if (arguments.command().equals("help") || arguments.flag("help")) {
            out.print(USAGE_TEXT);
            return OK;
        }
        Command command;
        try {
            command = command(arguments);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for usage.");
            return USAGE;
        } catch (IngestException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
        ConfigurableApplicationContext context;
        try {
            context = start(arguments.springArguments());
        } catch (RuntimeException e) {
            err.println("error: cannot open the warehouse: " + rootMessage(e));
            return UNAVAILABLE;
        }
        try (context) {
            if (context.getBean(WarehouseProperties.class).attached()) {
                // Every command writes (downloads, the ledger, freshness records): never into someone else's warehouse.
                err.println("error: " + arguments.command() + " writes to the warehouse, and pypi.warehouse.mode=ATTACHED "
                        + "marks it as someone else's (read-only); run it against your own warehouse");
                return USAGE;
            }
            ClickHouse clickHouse = context.getBean(ClickHouse.class);
            ClickHouseHttp http = new ClickHouseHttp(context.getBean(ClickHouseEndpoint.class),
                    context.getBean(ClickHouseProperties.class).connectTimeout());
            Progress progress = Progress.to(err, System.console() != null);
            return command.run(new Warehouse(clickHouse, http, progress, context));
        } catch (IngestException e) {
            err.println();
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (ClickHouseException e) {
            err.println();
            err.println("error: " + e.getMessage());
            return e.kind() == ClickHouseException.Kind.UNAVAILABLE ? UNAVAILABLE : FAILED;
        } catch (RuntimeException e) {
            err.println();
            err.println("error: " + rootMessage(e));
            e.printStackTrace(err);
            return FAILED;
        }
    }

    /** What a command needs. */
    record Warehouse(ClickHouse clickHouse, ClickHouseHttp http, Progress progress, ConfigurableApplicationContext context) {
    }

    @FunctionalInterface
    interface Command {
        int run(Warehouse warehouse);
    }

    /** Checks a command line fully before anything starts, and returns what to run. */
    private Command command(Arguments arguments) {
        return switch (arguments.command()) {
            case "ingest" -> {
                arguments.allow("format");
                if ("gharchive".equalsIgnoreCase(arguments.option("format"))) {
                    if (arguments.positional().isEmpty()) {
                        throw new IllegalArgumentException("ingest needs at least one file, glob or URL.");
                    }
                    List<Source> files = Source.expand(arguments.positional(), Source.Format.NDJSON);
                    yield warehouse -> githubArchive(warehouse, files);
                }
                Source.Format format = arguments.option("format") == null ? null : Source.Format.parse(arguments.option("format"));
                if (arguments.positional().isEmpty()) {
                    throw new IllegalArgumentException("ingest needs at least one file, glob or URL.");
                }
                List<Source> sources = Source.expand(arguments.positional(), format);
                yield warehouse -> ingest(warehouse, sources);
            }
            case "generate" -> {
                arguments.allow("rows", "days", "last-day", "seed", "replace");
                DemoDataProperties settings = new DemoDataProperties(DemoDataProperties.LoadWhenEmpty.NEVER,
                        arguments.longOption("rows", 2_500_000), (int) arguments.longOption("days", 1096),
                        arguments.dateOption("last-day", LocalDate.parse("2026-03-31")), arguments.longOption("seed", 42));
                if (settings.rows() < 1_000 || settings.rows() > 5_000_000_000L) {
                    throw new IllegalArgumentException("--rows must be between 1000 and 5000000000.");
                }
                if (settings.days() < 1 || settings.days() > 3660) {
                    throw new IllegalArgumentException("--days must be between 1 and 3660.");
                }
                if (!arguments.positional().isEmpty()) {
                    throw new IllegalArgumentException("generate takes no sources, got " + arguments.positional());
                }
                boolean replace = arguments.flag("replace");
                yield warehouse -> generate(warehouse, settings, replace);
            }
            case "reconcile" -> {
                arguments.allow("table", "from", "to", "format");
                Source.Format format = arguments.option("format") == null ? null : Source.Format.parse(arguments.option("format"));
                String table = arguments.option("table");
                if (table != null && !arguments.positional().isEmpty()) {
                    throw new IllegalArgumentException("reconcile takes either --table or sources, not both.");
                }
                List<Source> sources = Source.expand(arguments.positional(), format);
                LocalDate from = arguments.dateOption("from", null);
                LocalDate to = arguments.dateOption("to", null);
                if (from != null && to != null && from.isAfter(to)) {
                    throw new IllegalArgumentException("--from " + from + " is after --to " + to + ".");
                }
                yield warehouse -> reconcile(warehouse, sources, table, from, to);
            }
            case "repair-day" -> {
                arguments.allow("date", "format");
                Source.Format format = arguments.option("format") == null ? null : Source.Format.parse(arguments.option("format"));
                LocalDate day = arguments.dateOption("date", null);
                if (day == null) {
                    throw new IllegalArgumentException("repair-day needs --date YYYY-MM-DD.");
                }
                if (arguments.positional().size() != 1) {
                    throw new IllegalArgumentException("repair-day needs exactly one source holding the day (a file or URL).");
                }
                List<Source> sources = Source.expand(arguments.positional(), format);
                yield warehouse -> repair(warehouse, day, sources);
            }
            case "follow" -> {
                arguments.allow("dir", "url", "manifest", "once", "parallelism");
                Integer parallelism = FollowCommand.parallelism(arguments.option("parallelism"));
                long sources = java.util.stream.Stream.of("dir", "url", "manifest").filter(name -> arguments.option(name) != null).count();
                if (sources != 1 || !arguments.positional().isEmpty()) {
                    throw new IllegalArgumentException("follow needs one of --dir DIR, --url TEMPLATE or --manifest URL "
                            + "(and takes no other arguments).");
                }
                if (arguments.option("dir") == null) {
                    String template = arguments.option("url");
                    String manifest = arguments.option("manifest");
                    // Refused here, before ClickHouse starts; the messages show the URL masked.
                    if (template != null) {
                        dev.pypianalytics.ingest.follow.HttpSource.template(template, null, java.time.Clock.systemUTC(),
                                java.time.Duration.ofSeconds(1));
                    } else {
                        dev.pypianalytics.ingest.follow.SafeUrl.parse(manifest);
                    }
                    boolean once = arguments.flag("once");
                    yield warehouse -> FollowCommand.run(warehouse,
                            settings -> FollowCommand.withParallelism(settings.withHttp(template, manifest), parallelism), once, out);
                }
                java.nio.file.Path dir = java.nio.file.Path.of(arguments.option("dir")).toAbsolutePath().normalize();
                if (!java.nio.file.Files.isDirectory(dir)) {
                    throw new IngestException("No such folder: " + dir + ". Nothing was loaded.");
                }
                boolean once = arguments.flag("once");
                yield warehouse -> FollowCommand.run(warehouse,
                        settings -> FollowCommand.withParallelism(settings.withDirectory(dir), parallelism), once, out);
            }
            case "validate" -> {
                arguments.allow("shadow", "from", "to", "format");
                Source.Format format = arguments.option("format") == null ? null : Source.Format.parse(arguments.option("format"));
                String shadow = arguments.option("shadow") == null ? ValidateCommand.SHADOW : arguments.option("shadow");
                if (!shadow.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("--shadow must be a database name (a plain identifier), got '" + shadow + "'.");
                }
                if (arguments.positional().isEmpty()) {
                    throw new IllegalArgumentException("validate needs the files to load into the shadow (files, globs or URLs).");
                }
                List<Source> sources = Source.expand(arguments.positional(), format);
                LocalDate from = arguments.dateOption("from", null);
                LocalDate to = arguments.dateOption("to", null);
                if (from != null && to != null && from.isAfter(to)) {
                    throw new IllegalArgumentException("--from " + from + " is after --to " + to + ".");
                }
                yield warehouse -> ValidateCommand.run(warehouse, sources, shadow, from, to, out);
            }
            default -> throw new IllegalArgumentException("unknown command '" + arguments.command() + "'.");
        };
    }

    private int ingest(Warehouse warehouse, List<Source> sources) {
        Ingest ingest = new Ingest(warehouse.clickHouse(), warehouse.http(), warehouse.context().getBean(IngestProperties.class).overlap());
        int failed = 0;
        long added = 0;
        for (Source source : sources) {
            warehouse.progress().step("Loading " + source.location());
            try {
                Ingest.Outcome outcome = ingest.load(source, warehouse.progress());
                warehouse.progress().step("  " + source.location() + ": " + outcome.message());
                added += outcome.loaded() ? outcome.rows() : 0;
            } catch (IngestException e) {
                failed++;
                warehouse.progress().step("  " + source.location() + ": FAILED: " + e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "%d source(s): %d failed, %,d rows added.%n", sources.size(), failed, added);
        return failed == 0 ? OK : FAILED;
    }

    private int githubArchive(Warehouse warehouse, List<Source> sources) {
        GithubArchive archive = new GithubArchive(warehouse.clickHouse(), warehouse.http(),
                warehouse.context().getBean(GithubProperties.class).database());
        int failed = 0;
        long added = 0;
        for (Source source : sources) {
            warehouse.progress().step("Loading " + source.location());
            try {
                GithubArchive.Outcome outcome = archive.load(source);
                warehouse.progress().step("  " + source.location() + ": " + outcome.message());
                added += outcome.events();
            } catch (IngestException e) {
                failed++;
                warehouse.progress().step("  " + source.location() + ": FAILED: " + e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "%d GH Archive file(s): %d failed, %,d events added.%n", sources.size(), failed, added);
        return failed == 0 ? OK : FAILED;
    }

    private int generate(Warehouse warehouse, DemoDataProperties settings, boolean replace) {
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
        out.printf(Locale.ROOT, "Generated %,d downloads.%n", rows);
        return OK;
    }

    private int reconcile(Warehouse warehouse, List<Source> sources, String table, LocalDate from, LocalDate to) {
        List<Reconcile.Row> rows = new Reconcile(warehouse.clickHouse(), warehouse.http()).run(sources, table, from, to, warehouse.progress());
        if (rows.isEmpty()) {
            out.println("Nothing to compare: no days in the source or in pypi.");
            return OK;
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
        return problems.isEmpty() && drift.isEmpty() ? OK : GAPS;
    }

    private static long count(List<Reconcile.Row> rows, String status) {
        return rows.stream().filter(row -> row.status().equals(status)).count();
    }

    private int repair(Warehouse warehouse, LocalDate day, List<Source> sources) {
        RepairDay.Outcome outcome = new RepairDay(warehouse.clickHouse(), warehouse.http()).repair(day, sources, warehouse.progress());
        out.printf(Locale.ROOT, "Repaired %s: %,d rows before, %,d after; rebuilt %s for %d project(s).%n",
                outcome.day(), outcome.rowsBefore(), outcome.rowsAfter(), String.join(", ", outcome.rebuilt()), outcome.projects());
        return OK;
    }

    /** A Spring context without the web server or demo loading, on the configured (or already running) ClickHouse. */
    private static ConfigurableApplicationContext start(String[] userArguments) {
        // Logging levels as arguments: the logging system reads them before any listener of ours runs.
        List<String> springArguments = new ArrayList<>(List.of("--logging.level.root=WARN", "--logging.level.dev.pypianalytics=WARN"));
        springArguments.addAll(List.of(userArguments));
        return new SpringApplicationBuilder(PypiGatewayApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .listeners(event -> {
                    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                        // Above application.yml: the commands never load demo data on their own.
                        Map<String, Object> overrides = new LinkedHashMap<>();
                        overrides.put("pypi.demo.load-when-empty", "NEVER");
                        // Nor follow a folder in the background (the follow command follows in the foreground).
                        overrides.put("pypi.follow.directory", "");
                        overrides.put("pypi.follow.url", "");
                        overrides.put("pypi.follow.manifest", "");
                        overrides.put("pypi.follow.object-storage-queue.path", "");
                        // Nor heal days on a schedule.
                        overrides.put("pypi.heal.enabled", "false");
                        overrides.put("pypi.heal.repair", "false");
                        overrides.put("pypi.demo.live", "false");
                        prepared.getEnvironment().getPropertySources().addFirst(new MapPropertySource("cli", overrides));
                        useRunningEngine(prepared);
                    }
                })
                .run(springArguments.toArray(String[]::new));
    }

    /** With no external server configured and a gateway already running the embedded engine here, use that engine. */
    private static void useRunningEngine(ApplicationEnvironmentPreparedEvent event) {
        Binder binder = Binder.get(event.getEnvironment());
        String url = binder.bind("pypi.clickhouse.url", String.class).orElse("");
        if (!url.isBlank()) {
            return;
        }
        EmbeddedEngineProperties engine = binder.bindOrCreate("pypi.embedded", EmbeddedEngineProperties.class);
        EmbeddedEngine.runningOn(engine.dataDir()).ifPresent(running -> event.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("running-embedded-engine", Map.of("pypi.clickhouse.url", running.toString()))));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ClickHouseException || root instanceof dev.pypianalytics.clickhouse.embedded.EmbeddedEngineException) {
                break;
            }
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** A parsed command line: the command, --options, flags, positional arguments, and --pypi.* passthrough. */
    record Arguments(String command, Map<String, String> options, List<String> positional, List<String> spring) {

        private static final Set<String> FLAGS = Set.of("help", "replace", "once");

        static Arguments parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no command given.");
            }
            String command = args[0].equals("--help") || args[0].equals("-h") ? "help" : args[0];
            Map<String, String> options = new LinkedHashMap<>();
            List<String> positional = new ArrayList<>();
            List<String> spring = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h")) {
                    options.put("help", "true");
                } else if (arg.startsWith("--pypi.") || arg.startsWith("--spring.") || arg.startsWith("--logging.")) {
                    spring.add(arg);
                } else if (arg.startsWith("--")) {
                    String name = arg.substring(2);
                    String value = null;
                    int equals = name.indexOf('=');
                    if (equals >= 0) {
                        value = name.substring(equals + 1);
                        name = name.substring(0, equals);
                    }
                    if (FLAGS.contains(name)) {
                        options.put(name, "true");
                        continue;
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--" + name + " needs a value.");
                        }
                        value = args[++i];
                    }
                    options.put(name, value);
                } else {
                    positional.add(arg);
                }
            }
            return new Arguments(command, options, positional, spring);
        }

        void allow(String... names) {
            Set<String> allowed = new java.util.HashSet<>(List.of(names));
            allowed.add("help");
            for (String name : options.keySet()) {
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException(command + " has no option --" + name + ".");
                }
            }
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }

        String option(String name) {
            return options.get(name);
        }

        long longOption(String name, long fallback) {
            String value = options.get(name);
            try {
                return value == null ? fallback : Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'.");
            }
        }

        LocalDate dateOption(String name, LocalDate fallback) {
            String value = options.get(name);
            try {
                return value == null ? fallback : LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + name + " must be a date like 2026-03-31, got '" + value + "'.");
            }
        }

        String[] springArguments() {
            return spring.toArray(String[]::new);
        }
    }
}
