package dev.pypianalytics.clickhouse.embedded;

import dev.pypianalytics.support.TestWarehouse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fetching through the real npm client. A tiny public package stands in for the 180 MB engine so the
 * fetch, integrity check, extraction and cache are exercised cheaply; the engine itself is covered by
 * the other integration tests, which start it.
 */
class EnginePackageIntegrationTests {

    /** is-number 7.0.0, a few kB; its npm dist.integrity. */
    static final EnginePackage.Platform TINY = new EnginePackage.Platform("is-number", "index.js");
    static final String TINY_VERSION = "7.0.0";
    static final String TINY_INTEGRITY =
            "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==";

    @Test
    void fetchesVerifiesExtractsAndReusesThePackage() throws Exception {
        Path cache = TestWarehouse.newDirectory("cache");
        EnginePackage pkg = new EnginePackage(TINY, TINY_VERSION, TINY_INTEGRITY, cache, "npm", Duration.ofMinutes(5));

        Path library = pkg.library();

        assertThat(library).isRegularFile().hasFileName("index.js").startsWith(cache);
        assertThat(Files.readString(library)).contains("module.exports");
        long fetchedAt = Files.getLastModifiedTime(library).toMillis();
        // A second call uses the cache: it would fail if it ran npm, which we make impossible here.
        EnginePackage offline = new EnginePackage(TINY, TINY_VERSION, TINY_INTEGRITY, cache, "/nonexistent/npm", Duration.ofMinutes(5));
        assertThat(offline.library()).isEqualTo(library);
        assertThat(Files.getLastModifiedTime(library).toMillis()).isEqualTo(fetchedAt);
    }

    @Test
    void aPackageWithTheWrongIntegrityIsDiscarded() {
        Path cache = TestWarehouse.newDirectory("cache");
        String wrong = "sha512-" + "A".repeat(86) + "==";
        EnginePackage pkg = new EnginePackage(TINY, TINY_VERSION, wrong, cache, "npm", Duration.ofMinutes(5));

        assertThatThrownBy(pkg::library).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.INTEGRITY_MISMATCH);
            assertThat(e.getMessage()).contains(TINY_INTEGRITY);
        });
        assertThat(pkg.directory().resolve("index.js")).doesNotExist();
    }

    @Test
    void missingNpmIsReportedWithAdvice() {
        EnginePackage pkg = new EnginePackage(TINY, TINY_VERSION, TINY_INTEGRITY, TestWarehouse.newDirectory("cache"),
                "/nonexistent/npm", Duration.ofMinutes(1));
        assertThatThrownBy(pkg::library).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.NPM_MISSING);
            assertThat(e.getMessage()).contains("/nonexistent/npm");
            assertThat(e.action()).contains("Install Node.js").contains("PYPI_CLICKHOUSE_URL");
        });
    }

    @Test
    void aPlatformWithoutAnEnginePackageIsReported() {
        EnginePackage.Platform none = new EnginePackage.Platform("@chdb/lib-linux-s390x-gnu", "libchdb.so");
        EnginePackage pkg = new EnginePackage(none, "26.7.3-stable.1", TINY_INTEGRITY, TestWarehouse.newDirectory("cache"),
                "npm", Duration.ofMinutes(2));
        assertThatThrownBy(pkg::library).isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.UNSUPPORTED_PLATFORM);
            assertThat(e.action()).contains("external");
        });
    }
}
