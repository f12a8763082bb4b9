package dev.pypianalytics.cli;

import dev.pypianalytics.support.TestWarehouse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One run of the command line against the suite's warehouse: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    /** Runs {@code args} (plus the suite's engine data directory, when the warehouse is the embedded engine). */
    static CliRun of(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        if (!TestWarehouse.testcontainers()) {
            line.add("--pypi.embedded.data-dir=" + TestWarehouse.embeddedDataDir());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(line.toArray(String[]::new));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
