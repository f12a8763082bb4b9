package dev.pypianalytics.clickhouse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * The one port the rest of the code talks to ClickHouse through. Implementations bind every value,
 * apply per-query settings and a timeout, and turn any failure into a {@link ClickHouseException}
 * (never a hang).
 */
public interface ClickHouse {

    /** Runs a query and maps each row. */
    <T> Flux<T> query(Sql sql, Function<ResultRow, T> mapper);

    /** Runs a statement that returns no rows (DDL, INSERT ... SELECT, DELETE). */
    Mono<Void> execute(Sql sql);

    /** Runs a query expected to return at most one row. */
    default <T> Mono<T> queryOne(Sql sql, Function<ResultRow, T> mapper) {
        return query(sql, mapper).singleOrEmpty();
    }
}
