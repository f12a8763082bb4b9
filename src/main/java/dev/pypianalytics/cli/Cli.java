package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Progress;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The warehouse commands of the gateway's jar: {@code ingest}, {@code generate}, {@code reconcile},
 * {@code repair-day}, {@code follow}, {@code validate}. They run against the same ClickHouse the gateway is configured
 * for (the embedded engine by default, or {@code PYPI_CLICKHOUSE_URL}); when a gateway already runs the embedded engine
 * on the same data directory, they use that engine.
 *
 * <p>A command line is parsed (picocli: one class per command, {@link Commands}) and checked in full — options, dates,
 * files — before anything starts; only then a small Spring context ({@link CliContext}: the ClickHouse port, the schema,
 * the settings; no web server, API or background work) opens the warehouse.
 *
 * <p>Exit codes: 0 done; 1 failed (the message says why; nothing half-counted); 2 wrong usage;
 * 3 reconcile found missing, short or excess days; 4 ClickHouse unreachable or the schema not usable.
 */
public final class Cli {

    /** First arguments that select the command line rather than the gateway (checked by CliTests against {@link Commands}). */
    public static final Set<String> COMMANDS = Set.of("ingest", "generate", "reconcile", "repair-day", "follow", "validate", "migrate", "help", "--help", "-h");

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int GAPS = 3;
    static final int UNAVAILABLE = 4;

    /** Arguments with these prefixes are Spring settings, passed on to the context (e.g. {@code --pypi.clickhouse.url=...}). */
    private static final List<String> SPRING_PREFIXES = List.of("--pypi.", "--spring.", "--logging.");

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

    /** What a command runs on: the warehouse's port, progress (stderr), the context, and stdout. */
    record Warehouse(ClickHouse clickHouse, Progress progress, ConfigurableApplicationContext context, PrintStream out) {
    }

    /** What a command does once the warehouse is open; returns the exit code. */
    @FunctionalInterface
    interface Command {
        int run(Warehouse warehouse);
    }

    /** A command of the command line: checks its arguments in full, before anything starts, and says what to run. */
    interface WarehouseCommand {
        /**
         * @throws IllegalArgumentException wrong usage (exit code 2)
         * @throws IngestException          a source that cannot be loaded, such as a missing file (exit code 1)
         */
        Command prepare();
    }

    int execute(String[] args) {
        List<String> own = new ArrayList<>();
        List<String> spring = new ArrayList<>();
        for (String arg : args) {
            (SPRING_PREFIXES.stream().anyMatch(arg::startsWith) ? spring : own).add(arg);
        }
        CommandLine line = Commands.commandLine(own.isEmpty() ? null : own.getFirst());
        String name;
        Command command;
        try {
            ParseResult parsed = line.parseArgs(own.toArray(String[]::new));
            if (!parsed.hasSubcommand()) {
                if (parsed.isUsageHelpRequested()) {
                    out.print(Commands.usage(line));
                    return OK;
                }
                throw new IllegalArgumentException("no command given.");
            }
            ParseResult sub = parsed.subcommand();
            CommandLine chosen = sub.commandSpec().commandLine();
            if (sub.isUsageHelpRequested()) {
                out.print(Commands.usage(chosen));
                return OK;
            }
            if (chosen.getCommand() instanceof Commands.Help help) {
                out.print(help.usage(line));
                return OK;
            }
            name = chosen.getCommandName();
            command = ((WarehouseCommand) chosen.getCommand()).prepare();
        } catch (ParameterException e) {
            return usage(message(e));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IngestException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
        ConfigurableApplicationContext context;
        try {
            context = CliContext.start(spring);
        } catch (RuntimeException e) {
            err.println("error: cannot open the warehouse: " + rootMessage(e));
            return UNAVAILABLE;
        }
        try (context) {
            if (context.getBean(WarehouseProperties.class).attached()) {
                // Every command writes (downloads, the ledger, freshness records): never into someone else's warehouse.
                err.println("error: " + name + " writes to the warehouse, and pypi.warehouse.mode=ATTACHED "
                        + "marks it as someone else's (read-only); run it against your own warehouse");
                return USAGE;
            }
            ClickHouse clickHouse = context.getBean(ClickHouse.class);
            Progress progress = Progress.to(err, System.console() != null);
            return command.run(new Warehouse(clickHouse, progress, context, out));
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

    private int usage(String message) {
        err.println("error: " + message);
        err.println("Run with --help for usage.");
        return USAGE;
    }

    /** picocli's parse errors in the words of this command line. */
    private static String message(ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().getFirst();
            if (spec.parent() == null) {
                return first.startsWith("-") ? "no option " + first + " before the command." : "unknown command '" + first + "'.";
            }
            String option = unmatched.getUnmatched().stream().filter(arg -> arg.startsWith("-")).findFirst().orElse(first);
            int equals = option.indexOf('=');
            return spec.name() + " has no option " + (equals < 0 ? option : option.substring(0, equals)) + ".";
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().getFirst() instanceof OptionSpec option) {
            return option.longestName() + " needs a value.";
        }
        return e.getMessage();
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ClickHouseException || root instanceof dev.pypianalytics.clickhouse.embedded.EmbeddedEngineException) {
                break;
            }
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
