package dev.pypianalytics.clickhouse;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * What ClickHouse itself reports about a finished query: rows read and its own elapsed time. Whoever
 * wants them for the queries of a reactive chain puts a listener into the chain's context
 * ({@link #listen}); the HTTP port calls it once per query and asker (a statement asked twice in one request runs once).
 *
 * @param queryId          the query's id ({@code null} if none was given)
 * @param rowsRead         rows ClickHouse read
 * @param bytesRead        bytes ClickHouse read
 * @param elapsedMillis    ClickHouse's own time for the query
 * @param shared           the query was sent for another question of the same request (the same statement), whose
 *                         answer this one reused: these are that query's figures, not another query's
 */
public record QueryStatistics(String queryId, long rowsRead, long bytesRead, double elapsedMillis, boolean shared) {

    private static final String KEY = QueryStatistics.class.getName();

    /** A context in which every finished query is reported to {@code listener}. */
    public static Context listen(Consumer<QueryStatistics> listener) {
        return Context.of(KEY, listener);
    }

    /** Whether someone in {@code context} listens (then the query must really run: no cached answer). */
    public static boolean wanted(ContextView context) {
        return context.hasKey(KEY);
    }

    static Optional<Consumer<QueryStatistics>> listener(ContextView context) {
        return context.getOrEmpty(KEY);
    }
}
