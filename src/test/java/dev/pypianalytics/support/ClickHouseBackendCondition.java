package dev.pypianalytics.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips, with a message saying why, integration tests meant for clickhouse-server when Docker is missing. */
public final class ClickHouseBackendCondition implements ExecutionCondition {

    private static final java.util.concurrent.atomic.AtomicBoolean TOLD = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestWarehouse.testcontainers()) {
            return ConditionEvaluationResult.enabled("running against the embedded ClickHouse engine");
        }
        if (TestWarehouse.dockerAvailable()) {
            return ConditionEvaluationResult.enabled("running against " + TestWarehouse.IMAGE + " via Testcontainers");
        }
        String reason = "Docker is not available, so the run against " + TestWarehouse.IMAGE
                + " (-Pclickhouse-server) is skipped; the default run covers the same tests on the embedded engine.";
        if (TOLD.compareAndSet(false, true)) {
            System.err.println("SKIPPED: " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
