package dev.pypianalytics.clickhouse.migrations;

/**
 * The schema in {@code sql/} cannot be applied as it stands; the message says which file and why. Start-up reports
 * it with {@link #action()}: by default, to fix the file; a failure that is not a file's says what to do instead.
 */
public class SchemaMigrationException extends RuntimeException {

    private static final String FIX_THE_FILE = "Fix the named file under sql/ (or the server it runs on) and start again. "
            + "Applied files are recorded in the schema_migrations table.";

    private final String action;

    public SchemaMigrationException(String message) {
        this(message, FIX_THE_FILE, null);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        this(message, FIX_THE_FILE, cause);
    }

    /** @param action what the operator should do about it */
    public SchemaMigrationException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
