package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.migrations.SchemaMigrationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/** What start-up tells an operator to do about a schema failure: fix the file, unless the failure says otherwise. */
class StartupFailureAnalyzersTests {

    @Test
    void aFilesFailureSaysToFixTheFileAndASettingsFailureWhatToSet() {
        FailureAnalysis file = new StartupFailureAnalyzers.Migrations()
                .analyze(new IllegalStateException(new SchemaMigrationException("Applying sql/0001_pypi.sql failed: boom")));
        assertThat(file.getDescription()).isEqualTo("Applying sql/0001_pypi.sql failed: boom");
        assertThat(file.getAction()).startsWith("Fix the named file under sql/");

        FailureAnalysis setting = new StartupFailureAnalyzers.Migrations()
                .analyze(new IllegalStateException(new SchemaMigrationException("no cluster", "Set pypi.clickhouse.cluster", null)));
        assertThat(setting.getAction()).isEqualTo("Set pypi.clickhouse.cluster");
    }
}
