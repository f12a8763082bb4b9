package dev.pypianalytics.clickhouse;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ClickHouse query ids for the statements of one API request: the request's id followed by a sequence
 * number ({@code <request id>-1}, {@code -2}, ...), so an operator who has a request id from a log line
 * or a client's {@code X-Request-Id} finds its queries in {@code system.query_log} and
 * {@code system.processes} with {@code query_id LIKE '<request id>-%'}. Carried in the Reactor context.
 */
public final class QueryIds {

    private static final String KEY = QueryIds.class.getName();

    private final String requestId;
    private final AtomicInteger sequence = new AtomicInteger();

    private QueryIds(String requestId) {
        this.requestId = requestId;
    }

    /** A context whose ClickHouse statements carry {@code requestId} (a token of letters, digits, - and _). */
    public static Context forRequest(String requestId) {
        return Context.of(KEY, new QueryIds(requestId));
    }

    /** The next query id of the request in {@code context}, if there is one. */
    static Optional<String> next(ContextView context) {
        return context.<QueryIds>getOrEmpty(KEY).map(ids -> ids.requestId + "-" + ids.sequence.incrementAndGet());
    }
}
