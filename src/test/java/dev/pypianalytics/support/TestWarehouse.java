package dev.pypianalytics.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ClickHouse the integration suite runs against, chosen by the system property {@code it.clickhouse}:
 * {@code embedded} (default: the same embedded engine production uses) or {@code testcontainers} (the
 * official {@code clickhouse/clickhouse-server} image; needs Docker). One per test JVM, shared by every
 * Spring context of the suite.
 */
public final class TestWarehouse {

    public static final String MODE_PROPERTY = "it.clickhouse";
    public static final String IMAGE = "clickhouse/clickhouse-server:25.8";

    /** The bearer token of the management endpoints in the suite. */
    public static final String MANAGEMENT_TOKEN = "integration-suite-management-token";
    /** {@code printf %s integration-suite-management-token | sha256sum} */
    private static final String MANAGEMENT_TOKEN_SHA256 = "ddbaf72603be3028685c4cba67245671cc9328d191d355827b92814ff59e555d";

    /** Enough demo rows for every code path, small enough to generate in about a second. */
    public static final long DEMO_ROWS = 200_000;

    private static ClickHouseContainer container;
    private static Path embeddedDataDir;

    private TestWarehouse() {
    }

    public static boolean testcontainers() {
        return "testcontainers".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "embedded"));
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Points the application at this suite's ClickHouse. */
    public static synchronized void register(DynamicPropertyRegistry registry) {
        register(registry, null);
    }

    /**
     * Points the application at this suite's ClickHouse; on the embedded engine, at a data directory of its
     * own when {@code dataDir} is given (a second application context needs its own engine: a data directory
     * is locked by the engine running on it).
     */
    public static synchronized void register(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("pypi.demo.rows", () -> DEMO_ROWS);
        registry.add("pypi.demo.load-when-empty", () -> "ALWAYS");
        // The suite's data stays as generated: no live demo files (LiveDemoIntegrationTests turns it on for itself).
        registry.add("pypi.demo.live", () -> false);
        // The suite is one client sending requests fast; the rate limit has its own tests.
        registry.add("pypi.api.rate-limit.requests-per-minute", () -> 1_000_000);
        // The management endpoints' token (see MANAGEMENT_TOKEN).
        registry.add("pypi.management.token-sha256", () -> MANAGEMENT_TOKEN_SHA256);
        // Tests change the data and ask again at once: the cache re-reads the data's version every time.
        registry.add("pypi.api.cache.version-check", () -> "0s");
        if (testcontainers()) {
            ClickHouseContainer server = container();
            registry.add("pypi.clickhouse.url", () -> "http://" + server.getHost() + ":" + server.getMappedPort(8123));
            registry.add("pypi.clickhouse.user", server::getUsername);
            registry.add("pypi.clickhouse.password", server::getPassword);
        } else {
            registry.add("pypi.clickhouse.url", () -> "");
            registry.add("pypi.embedded.data-dir", () -> (dataDir != null ? dataDir : embeddedDataDir()).toString());
        }
    }

    /** A fresh data directory for this test JVM's embedded engine, under target/. */
    public static synchronized Path embeddedDataDir() {
        if (embeddedDataDir == null) {
            embeddedDataDir = newDirectory("it-warehouse");
        }
        return embeddedDataDir;
    }

    /** A new empty directory under target/ for one test's own engine. */
    public static Path newDirectory(String prefix) {
        try {
            Path root = Path.of("target", "it-clickhouse").toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClickHouseContainer container() {
        if (container == null) {
            container = new ClickHouseContainer(IMAGE);
            container.start();
        }
        return container;
    }
}
