package dev.pypianalytics.cli;

import dev.pypianalytics.ingest.Source;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The command line's grammar (picocli): one class per command ({@link IngestCommand}, {@link GenerateCommand},
 * {@link ReconcileCommand}, {@link RepairDayCommand}, {@link FollowCommand}, {@link ValidateCommand}), the overall
 * usage text made from theirs, and the checks they share.
 */
final class Commands {

    static final String JAR = "java -jar pypi-analytics-gateway.jar";

    private static final String HEADER = """
            Usage: %s <command> [options]
                   (or ./mvnw -q spring-boot:run -Dspring-boot.run.arguments="<command> [options]")

            Commands:
            """.formatted(JAR);

    private static final String FOOTER = """

            ClickHouse: the embedded engine (data in ~/.local/share/pypi-gateway/clickhouse, or
            PYPI_EMBEDDED_DATA_DIR), or an external server with PYPI_CLICKHOUSE_URL, PYPI_CLICKHOUSE_USER,
            PYPI_CLICKHOUSE_PASSWORD, PYPI_CLICKHOUSE_DATABASE. Any --pypi.* option is passed on.

            Exit codes: 0 done, 1 failed (nothing half-counted), 2 wrong usage, 3 reconcile found gaps (validate: differences),
            4 ClickHouse unreachable.

            One command's options: %s <command> --help
            """.formatted(JAR);

    private Commands() {
    }

    /** The top level: only {@code -h}/{@code --help}; everything else is a command's. */
    @CommandLine.Command(name = JAR)
    static final class Root {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show the commands.")
        boolean help;
    }

    /** {@code -h}/{@code --help} on every command. */
    static final class HelpOption {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this command's usage.")
        boolean help;
    }

    /**
     * {@code --from}/{@code --to}: a range of days. What an open end means is each command's own: their descriptions
     * are in the command's resource bundle (keys {@code from}, {@code to}).
     */
    static final class DayRange {
        @CommandLine.Option(names = "--from", paramLabel = "YYYY-MM-DD", descriptionKey = "from")
        String from;

        @CommandLine.Option(names = "--to", paramLabel = "YYYY-MM-DD", descriptionKey = "to")
        String to;

        /** The days as given (null when not given), checked to be in order. */
        LocalDate[] checked() {
            LocalDate first = date("--from", from);
            LocalDate last = date("--to", to);
            if (first != null && last != null && first.isAfter(last)) {
                throw new IllegalArgumentException("--from " + first + " is after --to " + last + ".");
            }
            return new LocalDate[] {first, last};
        }
    }

    /**
     * {@code --format} and the sources to read (files, globs or http(s) URLs). A command that describes them otherwise
     * does so in its resource bundle (keys {@code format}, {@code SOURCE}).
     */
    static final class Sources {
        @CommandLine.Option(names = "--format", paramLabel = "FORMAT", descriptionKey = "format",
                description = "parquet or ndjson (default: from each file's name)")
        String format;

        @CommandLine.Parameters(paramLabel = "SOURCE", arity = "0..*", descriptionKey = "SOURCE",
                description = "files, globs or http(s) URLs")
        List<String> given = List.of();

        /** {@code --format}, or null (the format from each file's name). */
        Source.Format format() {
            return format == null ? null : Source.Format.parse(format);
        }

        /** Every source given, globs expanded, each read as {@code format} (null: from its name). */
        List<Source> expand(Source.Format format) {
            return Source.expand(given, format);
        }
    }

    /** {@code help [COMMAND]}: the overall usage, or one command's. */
    @CommandLine.Command(name = "help", customSynopsis = "help [COMMAND]", description = "Show the commands, or one command's usage.")
    static final class Help {
        @CommandLine.Parameters(arity = "0..1", paramLabel = "COMMAND")
        String topic;

        @CommandLine.Mixin
        HelpOption help;

        String usage(CommandLine root) {
            CommandLine command = topic == null ? null : root.getSubcommands().get(topic);
            if (topic != null && command == null) {
                throw new IllegalArgumentException("unknown command '" + topic + "'.");
            }
            return Commands.usage(command == null ? root : command);
        }
    }

    /** Every command, in the order the usage lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("ingest", IngestCommand::new);
        commands.put("generate", GenerateCommand::new);
        commands.put("reconcile", ReconcileCommand::new);
        commands.put("repair-day", RepairDayCommand::new);
        commands.put("follow", FollowCommand::new);
        commands.put("validate", ValidateCommand::new);
        commands.put("migrate", MigrateCommand::new);
        commands.put("help", Help::new);
        return commands;
    }

    /**
     * A parser for a command line starting with {@code first}: when that names a command (other than help), only that one
     * is read into picocli's model (each command's annotations cost start-up time; a usage error should come at once).
     */
    static CommandLine commandLine(String first) {
        CommandLine line = new CommandLine(new Root());
        boolean one = first != null && COMMANDS.containsKey(first) && !first.equals("help");
        COMMANDS.forEach((name, command) -> {
            if (!one || name.equals(first)) {
                line.addSubcommand(name, command.get());
            }
        });
        String heading = "Usage: " + JAR + " ";
        for (CommandLine command : line.getSubcommands().values()) {
            var usage = command.getCommandSpec().usageMessage();
            String[] synopsis = usage.customSynopsis();
            for (int i = 1; i < synopsis.length; i++) {
                synopsis[i] = " ".repeat(heading.length()) + synopsis[i].strip();
            }
            usage.synopsisHeading(heading).customSynopsis(synopsis).descriptionHeading("%n").parameterListHeading("%n").optionListHeading("%nOptions:%n");
        }
        // Set after the commands are added: picocli applies each to the commands known at the time.
        line.setExpandAtFiles(false);            // "@file" is a file name here, never a file of arguments
        line.setOverwrittenOptionsAllowed(true); // an option given twice: the last one counts
        line.setUsageHelpWidth(120);
        line.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        return line;
    }

    /** The overall usage (every command's synopsis and description), or one command's usage with its options. */
    static String usage(CommandLine command) {
        if (command.getCommandSpec().parent() != null) {
            return command.getUsageMessage(Ansi.OFF);
        }
        StringBuilder text = new StringBuilder(HEADER);
        for (Map.Entry<String, CommandLine> entry : command.getSubcommands().entrySet()) {
            CommandSpec spec = entry.getValue().getCommandSpec();
            if (entry.getValue().getCommand() instanceof Help) {
                continue;
            }
            for (String line : spec.usageMessage().customSynopsis()) {
                text.append("  ").append(line.strip()).append('\n');
            }
            for (String line : spec.usageMessage().description()) {
                text.append("      ").append(line).append('\n');
            }
        }
        return text.append(FOOTER).toString();
    }

    /** Every command's name (for {@link Cli#COMMANDS}). */
    static List<String> names() {
        return List.copyOf(COMMANDS.keySet());
    }

    static long wholeNumber(String option, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'.");
        }
    }

    /** A day, or null when not given. */
    static LocalDate date(String option, String value) {
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a date like 2026-03-31, got '" + value + "'.");
        }
    }
}
