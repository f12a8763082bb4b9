package dev.pypianalytics.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A follow command line that cannot work is refused with a message before any ClickHouse is started. */
class FollowCommandTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            follow                                        | 2 | follow needs one of --dir DIR, --url TEMPLATE or --manifest URL
            follow --once                                 | 2 | follow needs one of --dir DIR
            follow --dir . --manifest http://h/m          | 2 | follow needs one of --dir DIR
            follow --manifest ftp://u:secret@h/m?token=t  | 1 | Not an http(s) URL: ftp://h/m?token=***
            follow --url https://h/p-{date}-{n:x}.parquet | 1 | Bad {n:x}
            follow --dir                                  | 2 | --dir needs a value
            follow --dir . extra.parquet                  | 2 | takes no other arguments
            follow --dir . --colour red                   | 2 | follow has no option --colour
            follow --dir no-such-folder-here              | 1 | No such folder
            follow --dir no-such-folder-here --once       | 1 | No such folder
            follow --dir . --parallelism 0                | 2 | --parallelism takes a whole number of files from 1 to 64, not '0'
            follow --dir . --parallelism many             | 2 | --parallelism takes a whole number of files from 1 to 64, not 'many'
            follow --dir . --parallelism                  | 2 | --parallelism needs a value
            """)
    void wrongFollowCommandLinesAreRefusedWithAMessage(String line, int exitCode, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(line.split(" +"));
        assertThat(code).isEqualTo(exitCode);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: ").contains(message).doesNotContain("secret");
    }

    @ParameterizedTest
    @CsvSource({"--help", "follow --help"})
    void helpListsTheFollowCommand(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).execute(line.split(" "));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("follow --dir DIR [--once] [--parallelism N]").contains("follow --manifest URL [--once]");
    }
}
