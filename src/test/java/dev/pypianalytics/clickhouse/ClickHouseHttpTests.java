package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A port statement goes over HTTP with its text exactly as rendered and each value as the parameter of its
 * {@code {name:Type}} placeholder; values never reach the text. Server errors map to our kinds in one place.
 */
class ClickHouseHttpTests {

    @Test
    void theTextIsSentAsRenderedAndValuesAsParameters() {
        String text = "SELECT 1 FROM t WHERE project IN {projects:Array(String)} AND date BETWEEN {from:Date} AND {to:Date} "
                + "AND version = {vp0:String} AND startsWith(version, {vpd0:String}) LIMIT {limit:UInt64}";
        Sql sql = Sql.of(text)
                .bind("projects", List.of("a'b", "c\\d")).bind("from", LocalDate.parse("2026-01-01")).bind("to", LocalDate.parse("2026-01-31"))
                .bind("vp0", "2").bind("vpd0", "2.").bind("limit", 10L).setting("max_execution_time", 30);

        ClickHouseHttp.Statement statement = ClickHouseHttp.fromSql(sql);

        assertThat(statement.text()).isEqualTo(text);
        assertThat(statement.parameters()).containsEntry("projects", "['a\\'b','c\\\\d']").containsEntry("from", "2026-01-01")
                .containsEntry("vp0", "2").containsEntry("vpd0", "2.").containsEntry("limit", "10");
        assertThat(statement.settings()).containsEntry("max_execution_time", 30);
    }

    @Test
    void stringsAreEscapedForTheServersTextFormat() {
        assertThat(ClickHouseHttp.parameterValue("a\tb\nc\\d")).isEqualTo("a\\tb\\nc\\\\d");
        assertThat(ClickHouseHttp.parameterValue(new Sql.NullValue(Long.class))).isEqualTo("\\N");
        assertThat(ClickHouseHttp.parameterValue(List.of(1L, 2L))).isEqualTo("[1,2]");
    }

    @Test
    void aValueWithoutItsPlaceholderIsRefused() {
        assertThatThrownBy(() -> ClickHouseHttp.fromSql(Sql.of("SELECT :a").bind("a", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{a:Type}");
    }

    @Test
    void serverErrorsMapToOurKinds() {
        assertThat(ClickHouseHttp.serverError(159, "too slow", null).kind()).isEqualTo(ClickHouseException.Kind.TIMEOUT);
        assertThat(ClickHouseHttp.serverError(60, "Unknown table", null).kind()).isEqualTo(ClickHouseException.Kind.QUERY);
        assertThat(ClickHouseHttp.errorCodeIn("Code: 60. DB::Exception: Unknown table expression identifier")).isEqualTo(60);
        assertThat(ClickHouseHttp.errorCodeIn("no code here")).isZero();
    }
}
