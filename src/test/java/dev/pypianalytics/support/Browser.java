package dev.pypianalytics.support;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Process process = new ProcessBuilder(command).directory(SCRIPTS.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 180 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (" + process.exitValue() + "): " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
