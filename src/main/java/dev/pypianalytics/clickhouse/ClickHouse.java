package dev.pypianalytics.clickhouse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.function.Function;

/**
 * The one port the rest of the code talks to ClickHouse through. Implementations bind every value,
 * apply per-query settings and a timeout, and turn any failure into a {@link ClickHouseException}
 * (never a hang; a {@link #load} runs as long as the server lets it, and is stopped by {@link #kill}).
 */
public interface ClickHouse {

    /** Runs a query and maps each row. */
    <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper);

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT, DELETE). */
    Mono<Void> execute(Sql sql);

    /**
     * Runs a long statement as written (its own settings, none of those the port adds to reads: no result format,
     * no default {@code max_execution_time}, no client-side time limit) under {@code queryId}, so it can be followed in
     * {@code system.processes} and stopped with {@link #kill}: an {@code INSERT ... SELECT} from a file streamed as
     * the request body into {@code input()}, from {@code url()} or from another table, or a query whose result is
     * wanted as the bytes of its own {@code FORMAT} (an export file).
     *
     * @param queryId the statement's query id (unique), or {@code null}
     * @param body    the data {@code input()} reads, or {@code null}
     * @return the response body: the result in the statement's {@code FORMAT}, if it has one
     */
    Mono<byte[]> load(Sql sql, String queryId, Body body);

    /**
     * {@link #load}, waiting on this thread for the statement to end: an interrupt gives up the request and fails
     * as {@link ClickHouseException.Kind#TIMEOUT}.
     */
    byte[] loadAndWait(Sql sql, String queryId, Body body);

    /** Asks the server to stop the statements running under these query ids ({@code KILL QUERY ... ASYNC}); finished ones are ignored. */
    Mono<Void> kill(Collection<String> queryIds);

    /** Runs a query expected to return at most one row. */
    default <T> Mono<T> queryOne(Sql sql, Function<ResultRow, T> mapper) {
        return query(sql, mapper).singleOrEmpty();
    }
}
