package dev.pypianalytics.clickhouse.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationFileTests {

    @Test
    void oneStatementWithCommentsAndTrailingSemicolon() {
        MigrationFile file = MigrationFile.parse("0001_t.sql", "-- a table; with a semicolon in a comment\nCREATE TABLE t (a String) ENGINE = Memory;\n");
        assertThat(file.statement()).startsWith("-- a table").endsWith("ENGINE = Memory");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 'a;b'                               | 1
            SELECT "a;b", `c;d`                        | 1
            SELECT 'it''s; fine'                       | 1
            SELECT 'back\\'slash;'                     | 1
            /* one; */ SELECT 1                        | 1
            SELECT 1; SELECT 2                         | 2
            SELECT 1;;                                 | 1
            -- only a comment;                         | 0
            """)
    void statementsAreSplitOnlyAtTopLevelSemicolons(String script, int expected) {
        assertThat(SqlScript.statements(script)).hasSize(expected);
    }

    @Test
    void twoStatementsInAFileAreRejectedByName() {
        assertThatThrownBy(() -> MigrationFile.parse("0002_two.sql", "CREATE TABLE a (x Int8) ENGINE = Memory; DROP TABLE a;"))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("sql/0002_two.sql").hasMessageContaining("2 statements");
    }

    @Test
    void anEmptyFileIsRejected() {
        assertThatThrownBy(() -> MigrationFile.parse("0003_empty.sql", "-- nothing\n"))
                .isInstanceOf(SchemaMigrationException.class).hasMessageContaining("0 statements");
    }

    @Test
    void unterminatedQuoteIsReported() {
        assertThatThrownBy(() -> MigrationFile.parse("0004_bad.sql", "SELECT 'open"))
                .isInstanceOf(SchemaMigrationException.class).hasMessageContaining("unterminated");
    }

    @Test
    void checksumIgnoresLineEndingsButNotContent() {
        String unix = MigrationFile.parse("a.sql", "SELECT 1\nFROM t\n").checksum();
        assertThat(MigrationFile.parse("a.sql", "SELECT 1\r\nFROM t\r\n").checksum()).isEqualTo(unix);
        assertThat(MigrationFile.parse("a.sql", "SELECT 2\nFROM t\n").checksum()).isNotEqualTo(unix);
    }
}
