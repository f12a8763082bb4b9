package dev.pypianalytics.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
            """)
    void wrongCommandLinesAreRefusedWithAMessage(String line, int exitCode, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(line.replace("'", "").split(" +"));
        assertThat(code).isEqualTo(exitCode);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: ").contains(message);
    }

    @ParameterizedTest
    @CsvSource({"--help", "help", "-h", "ingest --help"})
    void helpListsEveryCommandAndTheExitCodes(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).execute(line.split(" "));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("ingest [--format parquet|ndjson] SOURCE...", "generate [--rows N]", "reconcile [--table NAME | SOURCE...]",
                        "repair-day --date YYYY-MM-DD SOURCE", "Exit codes: 0 done, 1 failed");
    }
}
