package dev.pypianalytics.clickhouse.embedded;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Stands in for a gateway in a separate JVM: starts an embedded engine, prints the engine's pid and
 * waits. A test kills this process with SIGKILL and checks the engine goes away too.
 */
public final class EngineParentProcess {

    public static void main(String[] args) throws InterruptedException {
        EmbeddedEngine engine = new EmbeddedEngine(Path.of(args[0]), Path.of(args[1]), 0, Duration.ofSeconds(120),
                Duration.ofSeconds(30), new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                EmbeddedEngine.hostCommandForThisJvm("96m"), null).start();
        System.out.println("engine-pid=" + engine.state().pid());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
