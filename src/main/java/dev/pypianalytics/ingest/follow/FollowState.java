package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the follower decided about each file ({@code ingest_follow_files}): loaded, duplicate or
 * quarantined, with the size and modification time it had, so a file already handled is recognised
 * from a directory listing alone, also after a restart.
 */
public final class FollowState {

    /** What happened to a file. */
    public enum Status { LOADED, DUPLICATE, QUARANTINED }

    /**
     * One file's record.
     *
     * @param source         absolute path, or URL with credentials masked
     * @param size           bytes when it was handled (-1: an http(s) source did not say)
     * @param modifiedMillis modification time when it was handled (0: an http(s) source did not say)
     * @param etag           the entity tag an http(s) source gave (empty for a local file or when none was given)
     * @param rows           rows it added to pypi (0 for a duplicate or a quarantined file)
     * @param reason         for a quarantined file, why and what to do; otherwise what happened
     */
    public record FileRecord(String source, long size, long modifiedMillis, String etag, Status status, long rows, String reason) {

        public FileRecord(String source, long size, long modifiedMillis, Status status, long rows, String reason) {
            this(source, size, modifiedMillis, "", status, rows, reason);
        }

        /** Whether the file on disk is still the one this record is about. */
        boolean describes(long sizeNow, long modifiedNow) {
            return describes(sizeNow, modifiedNow, "");
        }

        /** Whether the file (or URL) is still the one this record is about. */
        boolean describes(long sizeNow, long modifiedNow, String etagNow) {
            return size == sizeNow && modifiedMillis == modifiedNow && etag.equals(etagNow);
        }
    }

    private final ClickHouse clickHouse;

    public FollowState(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** The latest record of every file under a folder, by path. */
    public Map<String, FileRecord> under(String folder) {
        return startingWith(folder.endsWith("/") ? folder : folder + "/");
    }

    /** The latest record of every file whose path or URL starts with a prefix, by path or URL. */
    public Map<String, FileRecord> startingWith(String prefix) {
        Map<String, FileRecord> records = new HashMap<>();
        clickHouse.query(Sql.of("""
                        SELECT source, size, toUnixTimestamp64Milli(modified) AS modified, etag, toString(status) AS status, rows, reason
                        FROM ingest_follow_files FINAL
                        WHERE startsWith(source, {prefix:String})""").bind("prefix", prefix), FollowState::fileRecord)
                .toStream().forEach(record -> records.put(record.source(), record));
        return records;
    }

    /** Every quarantined file, with its reason, newest first. */
    public List<FileRecord> quarantined() {
        return clickHouse.query(Sql.of("""
                        SELECT source, size, toUnixTimestamp64Milli(modified) AS modified, etag, toString(status) AS status, rows, reason
                        FROM ingest_follow_files FINAL
                        WHERE status = 'quarantined'
                        ORDER BY updated_at DESC"""), FollowState::fileRecord).collectList().block();
    }

    public void record(FileRecord record, String holder) {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_follow_files (source, size, modified, etag, status, rows, reason, holder, updated_at)
                        SELECT {source:String}, {size:Int64}, fromUnixTimestamp64Milli({modified:Int64}, 'UTC'), {etag:String}, {status:String}, {rows:Int64}, {reason:String}, {holder:String}, now64(3)""")
                .bind("source", record.source()).bind("size", record.size()).bind("modified", record.modifiedMillis()).bind("etag", record.etag())
                .bind("status", record.status().name().toLowerCase(java.util.Locale.ROOT)).bind("rows", record.rows())
                .bind("reason", record.reason()).bind("holder", holder)).block();
    }

    /** Whether the ledger holds this very path as loaded (a load that finished before its record here was written). */
    boolean loadedUnderThisName(String source) {
        Long n = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM ingest_files FINAL WHERE source = {source:String} AND status = 'loaded'")
                .bind("source", source), row -> row.getLong("n")).block();
        return n != null && n > 0;
    }

    /** The newest day any loaded file holds (the ledger), or {@code null} when none was loaded. */
    LocalDate newestLoadedDay() {
        return clickHouse.queryOne(Sql.of("""
                        SELECT max(last_day) AS day, count() AS n FROM ingest_files FINAL WHERE status = 'loaded' HAVING n > 0"""),
                row -> row.getDate("day")).block();
    }

    private static FileRecord fileRecord(dev.pypianalytics.clickhouse.ResultRow row) {
        return new FileRecord(row.getString("source"), row.getLong("size"), row.getLong("modified"), row.getString("etag"),
                Status.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)), row.getLong("rows"), row.getString("reason"));
    }
}
