package dev.pypianalytics.clickhouse.embedded;

/**
 * The embedded engine cannot be provided. Each reason carries advice a person can act on; every
 * message also points at the alternative of running against an external ClickHouse.
 */
public class EmbeddedEngineException extends RuntimeException {

    public static final String USE_EXTERNAL = "Or run against an external ClickHouse instead: set PYPI_CLICKHOUSE_URL "
            + "(e.g. http://localhost:8123, or https://<host>:8443 for ClickHouse Cloud) with PYPI_CLICKHOUSE_USER and "
            + "PYPI_CLICKHOUSE_PASSWORD; the embedded engine is then not used.";

    public enum Reason {
        NPM_MISSING("Install Node.js with npm (any recent version), or set pypi.embedded.npm-command to its path."),
        UNSUPPORTED_PLATFORM("The embedded engine ships for Linux x86-64 (glibc). On other platforms use an external server."),
        FETCH_FAILED("Check that npm can reach its registry (npm ping), or fetch once on a connected machine and copy the cache directory."),
        INTEGRITY_MISMATCH("The downloaded engine package is not the pinned one; the download was discarded. Retry, or check your npm registry."),
        PORT_UNAVAILABLE("Choose another port with pypi.embedded.port (0 picks a free one)."),
        DATA_DIR_UNUSABLE("Point pypi.embedded.data-dir (PYPI_EMBEDDED_DATA_DIR) at a writable directory not used by another running gateway."),
        START_FAILED("See the engine log named above.");

        private final String advice;

        Reason(String advice) {
            this.advice = advice;
        }

        public String advice() {
            return advice;
        }
    }

    private final Reason reason;

    public EmbeddedEngineException(Reason reason, String message) {
        this(reason, message, null);
    }

    public EmbeddedEngineException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** What to do about it, for the start-up failure report. */
    public String action() {
        return reason.advice() + "\n" + USE_EXTERNAL;
    }
}
