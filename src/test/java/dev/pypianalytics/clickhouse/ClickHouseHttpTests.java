package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A port statement becomes the same statement over HTTP with typed parameters; values never reach the text. */
class ClickHouseHttpTests {

    @Test
    void markersBecomeTypedParameters() {
        Sql sql = Sql.of("SELECT 1 FROM t WHERE project IN (:projects) AND date BETWEEN :from AND :to AND version = :vp0 "
                        + "AND startsWith(version, :vpd0) LIMIT :limit")
                .bind("projects", List.of("a'b", "c\\d")).bind("from", LocalDate.parse("2026-01-01")).bind("to", LocalDate.parse("2026-01-31"))
                .bind("vp0", "2").bind("vpd0", "2.").bind("limit", 10L).setting("max_execution_time", 30);

        ClickHouseHttp.Statement statement = ClickHouseHttp.fromSql(sql);

        assertThat(statement.text()).isEqualTo("SELECT 1 FROM t WHERE project IN {projects:Array(String)} AND date BETWEEN {from:Date} "
                + "AND {to:Date} AND version = {vp0:String} AND startsWith(version, {vpd0:String}) LIMIT {limit:Int64}");
        assertThat(statement.parameters()).containsEntry("projects", "['a\\'b','c\\\\d']").containsEntry("from", "2026-01-01")
                .containsEntry("vp0", "2").containsEntry("vpd0", "2.").containsEntry("limit", "10");
        assertThat(statement.settings()).containsEntry("max_execution_time", 30);
    }
}
