package dev.pypianalytics.clickhouse;

/**
 * A failure talking to ClickHouse. The message is for logs and operators (it may name the server and
 * carry ClickHouse's own error text); the API layer shows clients only a generic message and an id.
 */
public class ClickHouseException extends RuntimeException {

    /** What went wrong, coarsely: the API maps these to error types and the health check to status. */
    public enum Kind {
        /** The server could not be reached (refused, unknown host, connect timeout, engine not running). */
        UNAVAILABLE,
        /** The statement ran longer than allowed. */
        TIMEOUT,
        /** The server answered with an error (syntax, unknown table, limits, ...). */
        QUERY,
        /** The statement was stopped because its request was cancelled (timed out, or its client went away). */
        CANCELLED
    }

    private final Kind kind;
    private final int serverErrorCode;

    public ClickHouseException(Kind kind, String message, int serverErrorCode, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.serverErrorCode = serverErrorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** ClickHouse's numeric error code, or 0 when the failure did not come from the server. */
    public int serverErrorCode() {
        return serverErrorCode;
    }
}
