package dev.pypianalytics.clickhouse.migrations;

/** The schema in {@code sql/} cannot be applied as it stands; the message says which file and why. */
public class SchemaMigrationException extends RuntimeException {

    public SchemaMigrationException(String message) {
        super(message);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
