package dev.pypianalytics.cli;

import dev.pypianalytics.config.DemoDataProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Command lines that are wrong are refused with a message and exit code 2, before any ClickHouse is started. */
class CliTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frobnicate                                    | 2 | unknown command 'frobnicate'
            ingest                                        | 2 | ingest needs at least one file
            ingest --format csv a.csv                     | 2 | Unknown format 'csv'
            ingest --colour red a.parquet                 | 2 | ingest has no option --colour
            generate --rows many                          | 2 | --rows must be a whole number
            generate --rows 10                            | 2 | --rows must be between
            generate --last-day yesterday                 | 2 | --last-day must be a date
            reconcile --from 2026-03-02 --to 2026-03-01   | 2 | --from 2026-03-02 is after --to 2026-03-01
            reconcile --table t a.parquet                 | 2 | either --table or sources
            repair-day a.parquet                          | 2 | repair-day needs --date
            repair-day --date 2026-03-01                  | 2 | exactly one source
            repair-day --date 2026-03-01 a.json b.json    | 2 | exactly one source
            ingest --format                               | 2 | --format needs a value
            ingest 'no-such-dir/*.parquet'                | 1 | No files match
            ingest no-such-file.parquet                   | 1 | No such file: no-such-file.parquet
            ingest src                                    | 1 | src is a directory
            ingest --format gharchive no-such-hour.json.gz | 1 | No such file: no-such-hour.json.gz
            ingest --colour=red a.parquet                 | 2 | ingest has no option --colour.
            ingest --format=csv a.csv                     | 2 | Unknown format 'csv'
            generate --rows=5_000_000_001                 | 2 | --rows must be between 1000 and 5000000000.
            generate --days 0                             | 2 | --days must be between 1 and 3660.
            generate --seed x                             | 2 | --seed must be a whole number, got 'x'.
            generate a.parquet                            | 2 | generate takes no sources
            generate --rows                               | 2 | --rows needs a value.
            generate --rows 10 --rows many                | 2 | --rows must be a whole number, got 'many'.
            reconcile --to 31.03.2026                     | 2 | --to must be a date like 2026-03-31
            validate                                      | 2 | validate needs the files
            validate --shadow 1x a.parquet                | 2 | --shadow must be a database name
            validate --from 2026-03-02 --to 2026-03-01 src/main | 1 | is a directory
            help frobnicate                               | 2 | unknown command 'frobnicate'
            --colour                                      | 2 | no option --colour
            """)
    void wrongCommandLinesAreRefusedWithAMessage(String line, int exitCode, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(line.replace("'", "").split(" +"));
        assertThat(code).isEqualTo(exitCode);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: ").contains(message);
    }

    @Test
    void noCommandIsWrongUsage() {
        CliRun run = run(new String[0]);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("error: no command given.").contains("Run with --help for usage.");
    }

    @ParameterizedTest
    @CsvSource({"--help", "help", "-h"})
    void helpListsEveryCommandAndTheExitCodes(String line) {
        CliRun run = run(line);
        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("ingest [--format parquet|ndjson] SOURCE...", "ingest --format gharchive SOURCE...", "generate [--rows N]",
                        "reconcile [--table NAME | SOURCE...]", "repair-day --date YYYY-MM-DD SOURCE", "follow --dir DIR [--once]",
                        "validate [--shadow NAME]", "Exit codes: 0 done, 1 failed")
                .doesNotContain("--last-day=YYYY-MM-DD");
        assertThat(run.err()).isEmpty();
    }

    /** Each command's own usage: its synopsis and every option with what it means and its default. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ingest --help              | ingest [--format parquet|ndjson] SOURCE... | --format=FORMAT
            help ingest                | ingest --format gharchive SOURCE...        | SOURCE...
            generate -h                | generate [--rows N]                        | --rows=N
            reconcile --help           | reconcile [--table NAME | SOURCE...]       | --table=NAME
            repair-day --date x --help | repair-day --date YYYY-MM-DD SOURCE        | --date=YYYY-MM-DD
            follow --help              | follow --manifest URL [--once]             | --once
            validate --help            | validate [--shadow NAME]                   | --shadow=NAME
            migrate --help             | migrate                                    | -h, --help
            """)
    void eachCommandHasItsOwnHelp(String line, String synopsis, String option) {
        CliRun run = run(line);
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Usage: ").contains(synopsis).contains(option).contains("-h, --help")
                .doesNotContain("Exit codes: 0 done");
    }

    /** Options declared once for several commands ({@link Commands.DayRange}, {@link Commands.Sources}) keep each command's words. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            validate --help   | first day compared (default: the shadow's first)              | last day compared (default: the shadow's last)
            reconcile --help  | first day (default: the source's, or the ledger's)            | parquet or ndjson (default: from each file's name)
            repair-day --help | parquet or ndjson (default: from the file's name)             | the file or URL holding the day
            ingest --help     | parquet, ndjson or gharchive (default: from each file's name) | files, globs or http(s) URLs
            """)
    void sharedOptionsAreDescribedInEachCommandsOwnWords(String line, String one, String other) {
        assertThat(run(line).out()).contains(one).contains(other);
    }

    /** The defaults shown are the ones the gateway's demo data binds to (config/DemoDataProperties), not a copy. */
    @Test
    void generateShowsTheGatewaysDemoDefaults() {
        DemoDataProperties bound = new Binder(new MapConfigurationPropertySource(Map.of("pypi.demo.load-when-empty", "NEVER")))
                .bindOrCreate("pypi.demo", DemoDataProperties.class);
        assertThat(run("generate", "--help").out())
                .contains("default " + bound.rows() + ")", "default " + bound.days() + ")", "default " + bound.lastDay() + ")",
                        "default " + bound.seed() + ")");
    }

    @Test
    void theGatewaysEntryPointKnowsEveryCommand() {
        assertThat(Cli.COMMANDS).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(Commands.names().stream(), java.util.stream.Stream.of("--help", "-h")).toList());
    }

    static CliRun run(String... line) {
        String[] args = line.length == 1 ? line[0].split(" +") : line;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
