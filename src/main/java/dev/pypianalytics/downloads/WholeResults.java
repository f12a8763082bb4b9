package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.ResultRow;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.statements.KeysetPage;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a statement's whole result, also from a warehouse user that returns only so many rows per statement
 * and cuts longer results without an error (ClickPy's public user: 1,000 rows, {@code result_overflow_mode =
 * 'break'}). The statement is sent as it is; only when the port refuses its result as possibly cut is it read
 * again in {@link KeysetPage pages} of at most that many rows, in the order of a key unique among its rows.
 * Past {@link #MAX_PAGES} pages the result is refused as too large, as the port would.
 */
@Service
public class WholeResults {

    /** Most pages read for one statement (20,000 rows at ClickPy's limit). */
    static final int MAX_PAGES = 20;

    /** A key column: its name in the result, and whether it holds days (else strings). */
    public record KeyColumn(String name, boolean day) {

        public static KeyColumn text(String name) {
            return new KeyColumn(name, false);
        }

        public static KeyColumn date(String name) {
            return new KeyColumn(name, true);
        }

        Object value(ResultRow row) {
            return day ? row.getDate(name) : row.getString(name);
        }
    }

    private final ClickHouse clickHouse;
    private final HttpClickHouse server;

    public WholeResults(@ApiReads ClickHouse clickHouse, HttpClickHouse server) {
        this.clickHouse = clickHouse;
        this.server = server;
    }

    /** The same reading in pages, through another port of the API's user (the reference data's). */
    public WholeResults over(ClickHouse port) {
        return new WholeResults(port, server);
    }

    /** The rows of {@code statement}, mapped; in the statement's order, or the key's when it was read in pages. */
    public <T> Mono<List<T>> read(Sql statement, List<KeyColumn> key, Function<ResultRow, T> mapper) {
        return clickHouse.query(statement, mapper).collectList()
                .onErrorResume(error -> error instanceof ClickHouseException refused
                                && refused.serverErrorCode() == HttpClickHouse.RESULT_TOO_LARGE,
                        tooLong -> server.profile().flatMap(user -> user.wholeRows() == Long.MAX_VALUE
                                ? Mono.error(tooLong) : pages(statement, key, mapper, user.wholeRows(), tooLong)));
    }

    private record Page<T>(List<T> values, List<Object> lastKey, int number) {
    }

    private <T> Mono<List<T>> pages(Sql statement, List<KeyColumn> key, Function<ResultRow, T> mapper, long size, Throwable tooLong) {
        List<String> columns = key.stream().map(KeyColumn::name).toList();
        return page(statement, columns, key, mapper, size, null, 1)
                .expand(last -> last.values().size() < size ? Mono.empty()
                        : last.number() == MAX_PAGES ? Mono.error(tooLong)
                        : page(statement, columns, key, mapper, size, last.lastKey(), last.number() + 1))
                .collectList()
                .map(all -> {
                    List<T> values = new ArrayList<>();
                    all.forEach(page -> values.addAll(page.values()));
                    return values;
                });
    }

    private <T> Mono<Page<T>> page(Sql statement, List<String> columns, List<KeyColumn> key, Function<ResultRow, T> mapper, long size,
                                  List<Object> after, int number) {
        Sql page = new KeysetPage(columns, after, size).of(statement);
        record Keyed<T>(List<Object> key, T value) {
        }
        return clickHouse.query(page, row -> new Keyed<>(key.stream().map(column -> column.value(row)).toList(), mapper.apply(row)))
                .collectList()
                .map(rows -> new Page<>(rows.stream().map(Keyed::value).toList(), rows.isEmpty() ? null : rows.getLast().key(), number));
    }
}
