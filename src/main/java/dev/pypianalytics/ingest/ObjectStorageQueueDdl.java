package dev.pypianalytics.ingest;

import dev.pypianalytics.config.FollowProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The statements that make ClickHouse follow a bucket by itself (its S3Queue engine, README "ClickHouse's own
 * queue"): a queue table over the bucket in the export's input shape, and a materialized view from it into
 * {@code pypi_raw} with the loader's own mapping (so the transform view and the aggregates see the rows as they see
 * a loaded file's). The engine reads each new object once (which objects it processed is kept in Keeper), retries a
 * failing one {@code loadingRetries} times and then marks it failed, and starts reading as soon as the view exists.
 *
 * <p>What it does not do: the gateway's ledger (fingerprints, duplicates under another name, repair-day hints),
 * quarantine reasons in {@code ingest_follow_files}, or the follow lease; those belong to the gateway's follower.
 *
 * <p>Every value reaches the text as a quoted literal (escaped) or a checked identifier; credentials are never
 * written here: give a named collection, or let the server use its own S3 configuration.
 */
public final class ObjectStorageQueueDdl {

    /** The input-format settings the loader reads files with, applied by the queue table to what it reads. */
    private static final List<String> FORMAT_SETTINGS = List.of(
            "date_time_input_format = 'best_effort'",
            "input_format_parquet_allow_missing_columns = 1",
            "input_format_skip_unknown_fields = 1",
            "input_format_json_ignore_unknown_keys_in_named_tuple = 1",
            "input_format_null_as_default = 1");

    private ObjectStorageQueueDdl() {
    }

    /** CREATE TABLE (the queue) then CREATE MATERIALIZED VIEW (into pypi_raw), in the order to run them. */
    public static List<String> statements(FollowProperties.ObjectStorageQueue queue) {
        if (!queue.enabled()) {
            throw new IllegalArgumentException("no bucket path (pypi.follow.object-storage-queue.path) to queue");
        }
        String table = identifier(queue.table(), "table");
        String format = queue.format() == null || queue.format().isBlank()
                ? Source.formatOf(queue.path()).clickHouseName()
                : Source.Format.parse(queue.format()).clickHouseName();
        String compression = Source.compressionOf(queue.path().replaceAll("[?#].*", ""));
        String engine;
        if (queue.namedCollection() != null && !queue.namedCollection().isBlank()) {
            engine = "S3Queue(" + identifier(queue.namedCollection(), "named collection") + ", url = " + literal(queue.path())
                    + ", format = " + literal(format) + (compression == null ? "" : ", compression = " + literal(compression)) + ")";
        } else {
            engine = "S3Queue(" + literal(queue.path()) + ", " + literal(format) + (compression == null ? "" : ", " + literal(compression)) + ")";
        }
        List<String> settings = new ArrayList<>();
        settings.add("mode = " + literal(queue.mode().toLowerCase(Locale.ROOT)));
        settings.add("after_processing = 'keep'");
        if (queue.keeperPath() != null && !queue.keeperPath().isBlank()) {
            settings.add("keeper_path = " + literal(queue.keeperPath()));
        }
        settings.add("loading_retries = " + queue.loadingRetries());
        settings.add("processing_threads_num = " + queue.processingThreads());
        settings.add("enable_logging_to_queue_log = 1");
        settings.addAll(FORMAT_SETTINGS);
        String createQueue = "CREATE TABLE IF NOT EXISTS " + table + " (" + ExportShape.INPUT_STRUCTURE + ")\nENGINE = " + engine
                + "\nSETTINGS " + String.join(", ", settings);
        // Rows the loader would refuse (no time, no project) are left out rather than counted under an empty project.
        String createView = "CREATE MATERIALIZED VIEW IF NOT EXISTS " + table + "_mv TO pypi_raw AS\nSELECT " + ExportShape.MAPPING
                + "\nFROM " + table + "\nWHERE timestamp IS NOT NULL AND coalesce(project, file.project, '') != ''";
        return List.of(createQueue, createView);
    }

    /** The statements that stop the queue: the view first (the engine stops reading), then the queue table. */
    public static List<String> dropStatements(FollowProperties.ObjectStorageQueue queue) {
        String table = identifier(queue.table(), "table");
        return List.of("DROP VIEW IF EXISTS " + table + "_mv", "DROP TABLE IF EXISTS " + table);
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String identifier(String name, String what) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("The queue's " + what + " must be a plain identifier (letters, digits, _).");
        }
        return name;
    }
}
