package dev.pypianalytics.statements;

import dev.pypianalytics.clickhouse.Sql;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A page of a statement is the statement as a subquery, its key values bound, never spliced. */
class KeysetPageTests {

    static final Sql SERIES = Sql.of("SELECT project, toStartOfMonth(date) AS period, sum(count) AS downloads FROM t "
            + "WHERE project IN {projects:Array(String)} GROUP BY project, period ORDER BY project, period").bind("projects", List.of("a", "b"));

    @Test
    void theFirstPageStartsAtTheBeginning() {
        Sql page = new KeysetPage(List.of("project", "period"), null, 1000).of(SERIES);
        assertThat(page.text()).isEqualTo("SELECT * FROM (" + SERIES.text() + ") ORDER BY project, period LIMIT {keyset_size:UInt64}");
        assertThat(page.bindings()).containsEntry("projects", List.of("a", "b")).containsEntry("keyset_size", 1000L);
    }

    @Test
    void aLaterPageStartsAfterTheLastKeyBoundAsValues() {
        Sql page = new KeysetPage(List.of("project", "period"), List.of("x'); DROP TABLE t; --", LocalDate.parse("2026-01-01")), 1000)
                .of(SERIES);
        assertThat(page.text()).endsWith(") WHERE (project, period) > ({keyset_after_0:String}, {keyset_after_1:Date}) ORDER BY project, period LIMIT {keyset_size:UInt64}");
        assertThat(page.text()).doesNotContain("DROP");
        assertThat(page.bindings()).containsEntry("keyset_after_0", "x'); DROP TABLE t; --")
                .containsEntry("keyset_after_1", LocalDate.parse("2026-01-01"));
    }

    @Test
    void keysAreColumnNamesOnly() {
        assertThatThrownBy(() -> new KeysetPage(List.of("project; DROP"), null, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeysetPage(List.of(), null, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeysetPage(List.of("a"), List.of("x", "y"), 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
