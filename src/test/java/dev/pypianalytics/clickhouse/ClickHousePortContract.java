package dev.pypianalytics.clickhouse;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ClickHouse} port does against a real ClickHouse: binding, types, settings and
 * failures. Run for the port as the main user (migrations, ingestion) and as the API user (API queries).
 */
abstract class ClickHousePortContract extends IntegrationTest {

    ClickHouse clickHouse;

    /** The port under test. */
    abstract ClickHouse port();

    /** The same kind of port pointed at a server that is not there. */
    abstract ClickHouse at(ClickHouseEndpoint nowhere);

    @org.junit.jupiter.api.BeforeEach
    void choosePort() {
        clickHouse = port();
    }

    @Test
    void anInjectionAttemptStaysALiteral() {
        String hostile = "x' OR 1=1; DROP TABLE pypi; --";
        assertThat(clickHouse.queryOne(Sql.of("SELECT {value:String} AS v").bind("value", hostile), row -> row.getString("v")).block())
                .isEqualTo(hostile);
        assertThat(clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", hostile),
                row -> row.getLong("n")).block()).isZero();
        assertThat(clickHouse.queryOne(Sql.of("EXISTS TABLE pypi"), row -> row.getLong("result")).block()).isEqualTo(1);
    }

    @Test
    void integersOfEveryWidthReadAsLong() {
        StepVerifier.create(clickHouse.queryOne(Sql.of(
                                "SELECT toInt64(9223372036854775807) AS big, count() AS unsigned, toUInt8(7) AS small FROM numbers(3)"),
                        row -> List.of(row.getLong("big"), row.getLong("unsigned"), row.getLong("small"))))
                .expectNext(List.of(Long.MAX_VALUE, 3L, 7L))
                .verifyComplete();
    }

    @Test
    void collectionsBindAsInLists() {
        assertThat(clickHouse.queryOne(Sql.of("SELECT count() AS n FROM numbers(10) WHERE number IN {xs:Array(UInt64)}")
                .bind("xs", List.of(1L, 3L, 5L, 42L)), row -> row.getLong("n")).block()).isEqualTo(3);
    }

    @Test
    void datesAndNullsBind() {
        assertThat(clickHouse.queryOne(Sql.of("SELECT toDate({day:Date}) + 1 AS next").bind("day", LocalDate.of(2024, 2, 28)),
                row -> row.getDate("next")).block()).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(clickHouse.queryOne(Sql.of("SELECT isNull({nothing:Nullable(String)}) AS n").bind("nothing", new Sql.NullValue(String.class)),
                row -> row.getLong("n")).block()).isEqualTo(1);
    }

    @Test
    void perQuerySettingsReachTheServer() {
        assertThat(clickHouse.queryOne(Sql.of("SELECT getSetting('max_threads') AS v").setting("max_threads", 3),
                row -> row.getLong("v")).block()).isEqualTo(3);
    }

    @Test
    void aQueryOverItsRowLimitFailsWithTheCodeTheApiMapsToBadRequest() {
        assertThatThrownBy(() -> clickHouse.query(Sql.of("SELECT count() AS n FROM pypi GROUP BY project")
                        .setting("max_rows_to_read", 10), row -> row.getLong("n")).blockLast())
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.serverErrorCode()).isIn(158, 396));
    }

    @Test
    void queriesCarryTheirTimeoutToTheServer() {
        assertThat(clickHouse.queryOne(Sql.of("SELECT getSetting('max_execution_time') AS v").withTimeout(Duration.ofSeconds(7)),
                row -> row.getLong("v")).block()).isEqualTo(7);
    }

    @Test
    void aQueryOverItsTimeLimitFailsAsTimeout() {
        StepVerifier.create(clickHouse.query(Sql.of("SELECT sleepEachRow(0.5) FROM numbers(10)")
                                .setting("max_block_size", 1).setting("max_execution_time", 1),
                        row -> row.get("sleepEachRow(0.5)")))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ClickHouseException.class,
                        e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.TIMEOUT)))
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aServerErrorIsAQueryErrorWithItsCode() {
        StepVerifier.create(clickHouse.query(Sql.of("SELECT * FROM no_such_table_anywhere"), row -> row.get("x")))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.QUERY);
                    assertThat(e.serverErrorCode()).isEqualTo(60);
                }))
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void anUnreachableServerFailsFastAsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ClickHouse nowhere = at(new ClickHouseEndpoint(URI.create("http://127.0.0.1:" + closedPort), "default", "", "pypi", Map.of()));
        StepVerifier.create(nowhere.query(Sql.of("SELECT 1 AS one"), row -> row.getLong("one")))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ClickHouseException.class,
                        e -> assertThat(e.kind()).isEqualTo(ClickHouseException.Kind.UNAVAILABLE)))
                .verify(Duration.ofSeconds(20));
    }
}
