package dev.pypianalytics.support;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

/**
 * What the engine itself says about a request's statements, by the request id the test sent (the gateway
 * makes it the prefix of their query ids): the truth against which a request's cost is checked.
 */
public final class RequestStatementsInEngine {

    private final ClickHouse admin;

    public RequestStatementsInEngine(ClickHouse admin) {
        this.admin = admin;
    }

    /** Statements of the request that reached the engine (its query log). */
    public long sent(String requestId) {
        admin.execute(Sql.of("SYSTEM FLUSH LOGS")).block();
        return admin.queryOne(Sql.of("SELECT count() AS n FROM system.query_log WHERE type = 'QueryStart' AND startsWith(query_id, {p:String})")
                .bind("p", requestId + "-"), row -> row.getLong("n")).block();
    }

    /**
     * Waits (at most 10 s) until the query log holds the end of every statement of the request that started:
     * the engine writes a statement's {@code QueryFinish} row just after the client has its answer, so a flush
     * right after the answer can miss it (seen once in CI).
     */
    public void awaitLogged(String requestId) {
        awaitLogged(admin, Sql.of("""
                SELECT countIf(type = 'QueryStart') = countIf(type != 'QueryStart') AND count() > 0 AS ok
                FROM system.query_log WHERE startsWith(query_id, {p:String})""").bind("p", requestId + "-"));
    }

    /** Flushes the engine's logs until {@code check} (one row, one column {@code ok}) says 1; at most 10 s. */
    public static void awaitLogged(ClickHouse admin, Sql check) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (true) {
            admin.execute(Sql.of("SYSTEM FLUSH LOGS")).block();
            if (admin.queryOne(check, row -> row.getLong("ok")).block() == 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the query log did not reach the expected state within 10 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Statements of the request running in the engine now that nobody has asked to stop (no {@code KILL}, no client close). */
    public long runningUnstopped(String requestId) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM system.processes WHERE startsWith(query_id, {p:String}) AND NOT is_cancelled")
                .bind("p", requestId + "-"), row -> row.getLong("n")).block();
    }

    /** Statements of the request running in the engine now. */
    public long running(String requestId) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM system.processes WHERE startsWith(query_id, {p:String})")
                .bind("p", requestId + "-"), row -> row.getLong("n")).block();
    }
}
