package dev.pypianalytics.support;

import dev.pypianalytics.clickhouse.Body;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import reactor.core.publisher.Mono;

import java.util.Collection;

/** A test double of the port that is only ever asked queries and plain statements: a load or a kill fails the test. */
public interface ReadsOnlyPort extends ClickHouse {

    @Override
    default Mono<byte[]> load(Sql sql, String queryId, Body body) {
        return Mono.error(new AssertionError("not expected here: a load"));
    }

    @Override
    default byte[] loadAndWait(Sql sql, String queryId, Body body) {
        throw new AssertionError("not expected here: a load");
    }

    @Override
    default Mono<Void> kill(Collection<String> queryIds) {
        return Mono.error(new AssertionError("not expected here: a kill"));
    }
}
