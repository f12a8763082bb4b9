package dev.pypianalytics.support;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Playwright script of {@code src/test/browser} (playwright-core from the npm registry, installed
 * on first use) against Debian's headless Chromium. Without Chromium the browser tests are skipped with
 * a message saying how to get it ({@code .ci/run} installs it).
 */
public final class Browser {

    public static final Path SCRIPTS = Path.of("src/test/browser");
    public static final Path SCREENSHOTS = Path.of("target/browser-screenshots");
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private Browser() {
    }

    /** Skips the calling test when there is no Chromium; installs playwright-core when missing. */
    public static void require() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "No Chromium at " + CHROMIUM + " (apt-get install chromium, or set CHROMIUM): browser tests skipped");
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
            exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        }
        Files.createDirectories(SCREENSHOTS);
    }

    /** Runs {@code script} with {@code arguments}; returns the JSON it printed. */
    public static JsonNode run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        return JsonMapper.builder().build().readTree(exec(command));
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        return exec(command, SCRIPTS, TIMEOUT);
    }

    /**
     * Runs {@code command} in {@code directory}; returns what it printed on stdout. Its output goes to files,
     * not pipes, so a command that writes much to stderr cannot block on a full pipe while we wait, and the
     * time limit is counted while it runs (not after it closed its output). Past the limit it is killed with
     * its children (node's Chromium).
     */
    static String exec(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("browser-", ".out");
        Path err = Files.createTempFile("browser-", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(command + " did not finish in " + timeout.toSeconds() + " s: " + tail(err));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (" + process.exitValue() + "): " + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The end of what a command wrote to stderr: enough to see why it failed. */
    private static String tail(Path err) throws IOException {
        String text = Files.readString(err, StandardCharsets.UTF_8);
        return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
    }
}
