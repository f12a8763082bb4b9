package dev.pypianalytics.clickhouse.embedded;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnginePlatformTests {

    @ParameterizedTest
    @CsvSource({
            "Linux, amd64, false, @chdb/lib-linux-x64-gnu",
            "Linux, x86_64, false, @chdb/lib-linux-x64-gnu",
            "Linux, aarch64, false, @chdb/lib-linux-arm64-gnu",
            "Mac OS X, aarch64, false, @chdb/lib-darwin-arm64",
    })
    void packageFollowsOsAndCpu(String os, String arch, boolean musl, String expected) {
        assertThat(EnginePackage.Platform.detect(os, arch, musl).npmPackage()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "Windows 11, amd64, false",
            "Linux, amd64, true",
            "Linux, s390x, false",
            "Mac OS X, x86_64, false",
    })
    void otherPlatformsGetAnActionableError(String os, String arch, boolean musl) {
        assertThatThrownBy(() -> EnginePackage.Platform.detect(os, arch, musl))
                .isInstanceOfSatisfying(EmbeddedEngineException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EmbeddedEngineException.Reason.UNSUPPORTED_PLATFORM);
                    assertThat(e.getMessage()).contains(os);
                    assertThat(e.action()).contains("PYPI_CLICKHOUSE_URL");
                });
    }

    @ParameterizedTest
    @CsvSource({"Linux, amd64, 99.0.0"})
    void anUnpinnedVersionNeedsAnExplicitIntegrity(String os, String arch, String version) {
        EnginePackage.Platform platform = EnginePackage.Platform.detect(os, arch, false);
        assertThatThrownBy(() -> new EnginePackage(platform, version, null, java.nio.file.Path.of("/tmp"), "npm",
                java.time.Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(EmbeddedEngineException.class,
                        e -> assertThat(e.getMessage()).contains("pypi.embedded.engine-integrity"));
    }
}
