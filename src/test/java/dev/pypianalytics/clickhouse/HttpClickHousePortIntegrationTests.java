package dev.pypianalytics.clickhouse;

import dev.pypianalytics.config.ClickHouseProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API's port keeps the port's contract, runs as a user that can only read, sends the request's id
 * as ClickHouse's query id and reports ClickHouse's own statistics of each query.
 */
class HttpClickHousePortIntegrationTests extends ClickHousePortContract {

    @Autowired
    HttpClickHouse api;

    @Autowired
    @ApiReads
    ClickHouse cachedApi;

    @Autowired
    R2dbcClickHouse admin;

    @Autowired
    ClickHouseProperties properties;

    @Override
    ClickHouse port() {
        return api;
    }

    @Override
    ClickHouse at(ClickHouseEndpoint nowhere) {
        return new HttpClickHouse(new ClickHouseHttp(nowhere, Duration.ofSeconds(2)), Duration.ofSeconds(10), true);
    }

    @Test
    void apiQueriesRunAsTheReadOnlyUser() {
        String expected = properties.external() ? properties.api().user() : ClickHouseProperties.ApiUser.EMBEDDED_DEFAULT;
        org.junit.jupiter.api.Assumptions.assumeTrue(!expected.isBlank(), "no API user configured for this external server");
        assertThat(api.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isEqualTo(expected);
        assertThat(cachedApi.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isEqualTo(expected);
        assertThat(admin.queryOne(Sql.of("SELECT currentUser() AS user"), row -> row.getString("user")).block()).isNotEqualTo(expected);
    }

    @Test
    void theApiPortCannotChangeAnything() {
        long before = rowsOfPypi();
        List<String> writes = List.of(
                "INSERT INTO pypi_downloads (project, count) VALUES ('written-by-the-api', 1)",
                "CREATE TABLE api_was_here (x Int8) ENGINE = MergeTree ORDER BY x",
                "TRUNCATE TABLE pypi_downloads",
                "DROP TABLE pypi",
                "ALTER TABLE pypi DELETE WHERE 1",
                "SYSTEM FLUSH LOGS");
        for (String write : writes) {
            assertThatThrownBy(() -> api.execute(Sql.of(write)).block(), write)
                    // 164 READONLY, 497 ACCESS_DENIED
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.serverErrorCode()).isIn(164, 497));
        }
        assertThat(rowsOfPypi()).isEqualTo(before);
        assertThat(admin.queryOne(Sql.of("SELECT count() AS n FROM pypi_downloads WHERE project = 'written-by-the-api'"),
                row -> row.getLong("n")).block()).isZero();
        assertThat(admin.queryOne(Sql.of("EXISTS TABLE api_was_here"), row -> row.getLong("result")).block()).isZero();
    }

    @Test
    void withTheMainCredentialsEveryStatementIsStillReadOnly() {
        // An external server without a dedicated API user: the administrative user, readonly per statement.
        HttpClickHouse readOnlyAdmin = new HttpClickHouse(new ClickHouseHttp(admin.endpoint(), Duration.ofSeconds(2)),
                Duration.ofSeconds(10), true);
        assertThatThrownBy(() -> readOnlyAdmin.execute(Sql.of("CREATE TABLE api_was_here (x Int8) ENGINE = MergeTree ORDER BY x")).block())
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.serverErrorCode()).isEqualTo(164));
        assertThat(readOnlyAdmin.queryOne(Sql.of("SELECT count() AS n FROM numbers(5)"), row -> row.getLong("n")).block()).isEqualTo(5);
    }

    @Test
    void theRequestIdBecomesTheQueryIdOfEachStatement() {
        Sql queryId = Sql.of("SELECT queryID() AS id");
        List<String> ids = api.queryOne(queryId, row -> row.getString("id"))
                .concatWith(api.queryOne(queryId, row -> row.getString("id")))
                .collectList()
                .contextWrite(QueryIds.forRequest("req-7f3a"))
                .block();
        assertThat(ids).containsExactly("req-7f3a-1", "req-7f3a-2");
        // Without a request, ClickHouse names the query itself.
        assertThat(api.queryOne(queryId, row -> row.getString("id")).block()).matches("[0-9a-f-]{36}");
    }

    @Test
    void clickHouseStatisticsOfEachQueryReachTheListener() {
        List<QueryStatistics> reported = new ArrayList<>();
        long sum = api.queryOne(Sql.of("SELECT sum(count) AS n FROM pypi_downloads"), row -> row.getLong("n"))
                .contextWrite(QueryIds.forRequest("stats-1"))
                .contextWrite(QueryStatistics.listen(reported::add))
                .block();
        long rows = admin.queryOne(Sql.of("SELECT count() AS n FROM pypi_downloads"), row -> row.getLong("n")).block();
        assertThat(sum).isEqualTo(rowsOfPypi());
        assertThat(reported).singleElement().satisfies(statistics -> {
            assertThat(statistics.queryId()).isEqualTo("stats-1-1");
            assertThat(statistics.rowsRead()).isEqualTo(rows);
            assertThat(statistics.elapsedMillis()).isPositive();
        });
    }

    private long rowsOfPypi() {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM pypi"), row -> row.getLong("n")).block();
    }
}
