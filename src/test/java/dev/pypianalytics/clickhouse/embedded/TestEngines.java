package dev.pypianalytics.clickhouse.embedded;

import dev.pypianalytics.config.EmbeddedEngineProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What tests need to run their own embedded engines. */
public final class TestEngines {

    private TestEngines() {
    }

    /** The engine library of this platform, from the default cache (fetched there once). */
    public static Path library() {
        EnginePackage.Platform platform = EnginePackage.Platform.current();
        return new EnginePackage(platform, "26.7.3-stable.1", null, defaultCacheDir(), "npm", Duration.ofMinutes(20)).library();
    }

    static Path defaultCacheDir() {
        return new EmbeddedEngineProperties(null, null, 0, null, "26.7.3-stable.1", null, "npm", Duration.ofSeconds(120),
                Duration.ofMinutes(20), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60), "96m").cacheDir();
    }

    /**
     * Where extra configuration of an engine on {@code dataDir} goes: ClickHouse merges every XML file in
     * {@code <config file name without .xml>.d/} next to a configuration file into it, and the engine only
     * rewrites its own two files at each start, so what a test puts there survives restarts.
     */
    public static Path configOverrides(Path dataDir) {
        return dataDir.resolve(EngineConfig.CONFIG_FILE.replaceFirst("\\.xml$", ".d"));
    }

    /** Like {@link #configOverrides}, for the users file (profiles, users, their grants). */
    public static Path usersOverrides(Path dataDir) {
        return dataDir.resolve(EngineConfig.USERS_FILE.replaceFirst("\\.xml$", ".d"));
    }

    /**
     * The host command behind a gate: while the file {@code gate} exists the "host" exits at once with
     * code 7 (an engine that cannot start), afterwards it is the real one.
     */
    public static List<String> gatedHostCommand(Path gate) {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "gate=$1; shift; if [ -e \"$gate\" ]; then echo 'engine-host: closed by the test gate'; exit 7; fi; exec \"$@\"",
                "sh", gate.toAbsolutePath().toString()));
        command.addAll(EmbeddedEngine.hostCommandForThisJvm("96m"));
        return command;
    }
}
