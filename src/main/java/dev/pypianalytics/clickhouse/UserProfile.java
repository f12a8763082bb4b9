package dev.pypianalytics.clickhouse;

/**
 * What the connection user's own settings impose on every statement, read once from the server
 * ({@code getSetting} works for any user, {@code readonly = 1} included). A shared instance's read-only
 * user (ClickPy's public one: {@code readonly = 1}, {@code max_result_rows = 1000},
 * {@code result_overflow_mode = 'break'}) refuses per-statement settings and may cut a long result
 * <em>silently</em> at a block boundary; the port adapts to the first and detects the second.
 *
 * @param readonly        the user's {@code readonly}: 1 refuses every setting sent with a statement
 * @param maxResultRows   {@code max_result_rows} (0 = none)
 * @param maxResultBytes  {@code max_result_bytes} (0 = none)
 * @param overflowBreaks  whether {@code result_overflow_mode} is {@code break}: past those limits the server
 *                        stops sending rows without an error, instead of failing the statement
 */
public record UserProfile(long readonly, long maxResultRows, long maxResultBytes, boolean overflowBreaks) {

    /** A user whose settings the gateway may set per statement and whose results are never cut. */
    public static final UserProfile OPEN = new UserProfile(0, 0, 0, false);

    /** The statement that reads the profile: no settings of its own, so that a {@code readonly = 1} user may run it. */
    static final Sql PROBE = Sql.of("""
            SELECT toUInt64(getSetting('readonly')) AS readonly,
                   toUInt64(getSetting('max_result_rows')) AS max_result_rows,
                   toUInt64(getSetting('max_result_bytes')) AS max_result_bytes,
                   toString(getSetting('result_overflow_mode')) AS overflow_mode""");

    static UserProfile of(ResultRow row) {
        return new UserProfile(row.getLong("readonly"), row.getLong("max_result_rows"), row.getLong("max_result_bytes"),
                "break".equals(row.getString("overflow_mode")));
    }

    /** Whether the server refuses settings sent with a statement ({@code readonly = 1}). */
    public boolean settingsLocked() {
        return readonly == 1;
    }

    /**
     * Whether a result of {@code rows} rows, {@code bodyBytes} bytes as JSON, may have been cut by the server
     * without an error. A cut result is always longer than the limit (the server stops after the block that
     * crossed it), so a result within the limit is whole; one past it may be whole (a single block) or cut,
     * which the client cannot tell apart. The server counts bytes in memory, not as JSON: a string costs
     * about its length plus 9 bytes there and plus 3 in JSON, a number up to 8 bytes there and 1 to 20 here,
     * so a third of the limit in JSON is taken as the point where the server may have stopped.
     */
    public boolean mayHaveCut(long rows, long bodyBytes) {
        return overflowBreaks && (maxResultRows > 0 && rows > maxResultRows || maxResultBytes > 0 && bodyBytes * 3 > maxResultBytes);
    }

    /** The most rows a statement of this user may return and be known whole (or {@link Long#MAX_VALUE}). */
    public long wholeRows() {
        return overflowBreaks && maxResultRows > 0 ? maxResultRows : Long.MAX_VALUE;
    }
}
