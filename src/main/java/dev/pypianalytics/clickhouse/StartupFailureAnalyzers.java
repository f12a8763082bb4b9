package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngineException;
import dev.pypianalytics.clickhouse.migrations.SchemaMigrationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns start-up failures of the warehouse into Spring Boot's short "what happened / what to do" report. */
final class StartupFailureAnalyzers {

    private StartupFailureAnalyzers() {
    }

    static final class EmbeddedEngine extends AbstractFailureAnalyzer<EmbeddedEngineException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedEngineException cause) {
            return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
        }
    }

    static final class Migrations extends AbstractFailureAnalyzer<SchemaMigrationException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, SchemaMigrationException cause) {
            return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
        }
    }

    static final class Unreachable extends AbstractFailureAnalyzer<ClickHouseException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, ClickHouseException cause) {
            if (cause.kind() == ClickHouseException.Kind.QUERY) {
                return new FailureAnalysis(cause.getMessage(),
                        "ClickHouse is reachable but refused a start-up statement (schema or demo data). The server's "
                                + "message above says why; the engine's own log is engine-host.log in the embedded data "
                                + "directory.", cause);
            }
            return new FailureAnalysis(cause.getMessage(),
                    "Check pypi.clickhouse.url / user / password (PYPI_CLICKHOUSE_URL, PYPI_CLICKHOUSE_USER, "
                            + "PYPI_CLICKHOUSE_PASSWORD) and that the server is up; leave the URL empty to use the "
                            + "embedded engine.", cause);
        }
    }
}
