package dev.pypianalytics.clickhouse.migrations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One {@code sql/} file: its name (which orders it), its single statement and a checksum of its content.
 *
 * @param name      file name, e.g. {@code 0001_pypi.sql}
 * @param statement the one statement, without a trailing semicolon
 * @param checksum  SHA-256 of the content with line endings normalized (a CRLF checkout is not a change)
 */
public record MigrationFile(String name, String statement, String checksum) {

    /** Parses a file; a file without exactly one statement is rejected with its name in the message. */
    public static MigrationFile parse(String name, String content) {
        String normalized = content.replace("\r\n", "\n");
        List<String> statements;
        try {
            statements = SqlScript.statements(normalized);
        } catch (IllegalArgumentException e) {
            throw new SchemaMigrationException("sql/" + name + " cannot be read: " + e.getMessage());
        }
        if (statements.size() != 1) {
            throw new SchemaMigrationException("sql/" + name + " holds " + statements.size()
                    + " statements; each migration file must hold exactly one");
        }
        return new MigrationFile(name, statements.getFirst(), sha256(normalized));
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
