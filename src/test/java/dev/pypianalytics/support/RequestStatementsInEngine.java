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

    /** Statements of the request running in the engine now. */
    public long running(String requestId) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM system.processes WHERE startsWith(query_id, {p:String})")
                .bind("p", requestId + "-"), row -> row.getLong("n")).block();
    }
}
