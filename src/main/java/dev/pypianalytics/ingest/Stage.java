package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.Body;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.Sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source read into a private working table in {@code pypi_raw}'s shape, checked, and fingerprinted,
 * before anything reaches {@code pypi}. Any problem with the file (missing, empty, corrupt, not a
 * download export) is found here, so a bad file leaves nothing counted. Closing drops the table.
 */
public final class Stage implements AutoCloseable {

    /** What a staged source holds. */
    record Contents(long rows, LocalDate firstDay, LocalDate lastDay, String fingerprint, Map<LocalDate, Long> rowsPerDay) {
    }

    private static final Map<String, Object> READ_SETTINGS = Map.of(
            "date_time_input_format", "best_effort",
            "input_format_parquet_allow_missing_columns", 1,
            "input_format_skip_unknown_fields", 1,
            "input_format_json_ignore_unknown_keys_in_named_tuple", 1,
            "input_format_null_as_default", 1,
            "max_execution_time", 0);

    private final ClickHouse clickHouse;
    private final String table;
    private final Source source;
    private Contents contents;

    /** Working tables of this process's loads, open now: never swept. */
    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    private Stage(ClickHouse clickHouse, Source source) {
        this.clickHouse = clickHouse;
        this.source = source;
        this.table = "ingest_stage_" + HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits());
        OPEN.add(table);
    }

    /**
     * Drops working tables that killed loads left behind. A table is kept while this process has it open,
     * while a running statement names it ({@code system.processes}), and until it was last written (or, with
     * no rows, created) at least {@code untouchedFor} ago: a load of another process may be between two
     * statements on it (checks, repair-day's deletes) for a while.
     *
     * @return the tables dropped
     */
    public static List<String> sweep(ClickHouse clickHouse, Duration untouchedFor) {
        List<String> candidates = clickHouse.query(Sql.of("""
                        SELECT t.name AS name
                        FROM system.tables AS t
                        LEFT JOIN (SELECT table, max(modification_time) AS written FROM system.parts
                                   WHERE database = currentDatabase() AND startsWith(table, 'ingest_stage_') GROUP BY table) AS p
                        ON p.table = t.name
                        WHERE t.database = currentDatabase() AND match(t.name, '^ingest_stage_[0-9a-f]+$')
                          AND greatest(t.metadata_modification_time, p.written) <= now() - toIntervalSecond({seconds:Int64})
                          AND t.name NOT IN (SELECT arrayJoin(extractAll(query, 'ingest_stage_[0-9a-f]+')) FROM system.processes)
                        SETTINGS join_use_nulls = 0""").bind("seconds", Math.max(0, untouchedFor.toSeconds())),
                row -> row.getString("name")).collectList().block();
        List<String> dropped = new java.util.ArrayList<>();
        for (String name : candidates == null ? List.<String>of() : candidates) {
            if (OPEN.contains(name)) {
                continue;
            }
            // The name matched ingest_stage_<hex> above: an identifier of our own making.
            clickHouse.execute(Sql.of("DROP TABLE IF EXISTS " + name)).block();
            dropped.add(name);
        }
        return dropped;
    }

    /**
     * Reads the source into a new working table and checks it.
     *
     * @param day only this day's rows (repair-day), or {@code null} for all
     */
    static Stage read(ClickHouse clickHouse, Source source, LocalDate day, Progress progress) {
        checkLocalFile(source);
        Stage stage = new Stage(clickHouse, source);
        try {
            clickHouse.execute(Sql.of(ExportShape.stageTable(stage.table))).block();
            stage.fill(day, progress);
            stage.contents = stage.inspect(day);
            return stage;
        } catch (RuntimeException e) {
            stage.close();
            throw e;
        }
    }

    String table() {
        return table;
    }

    Contents contents() {
        return contents;
    }

    private static void checkLocalFile(Source source) {
        if (source.remote()) {
            return;
        }
        Path path = Path.of(source.location());
        if (!Files.exists(path)) {
            throw new IngestException("No such file: " + path + ". Nothing was loaded.");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IngestException(path + " is not a readable file. Nothing was loaded.");
        }
        try {
            if (Files.size(path) == 0) {
                throw new IngestException(path + " is empty (0 bytes). Nothing was loaded.");
            }
        } catch (IOException e) {
            throw new IngestException("Cannot read " + path + ": " + e.getMessage());
        }
    }

    private void fill(LocalDate day, Progress progress) {
        String from = source.remote()
                ? "url({source:String}, " + source.format().clickHouseName() + ", {structure:String})"
                : "input({structure:String})";
        String where = day == null ? "" : " WHERE toDate(timestamp) = {day:Date}";
        Sql statement = Sql.of("INSERT INTO " + table + " (" + ExportShape.RAW_COLUMNS + ") SELECT " + ExportShape.MAPPING
                        + " FROM " + from + where + (source.remote() ? "" : " FORMAT " + source.format().clickHouseName()))
                .bind("structure", ExportShape.INPUT_STRUCTURE);
        if (source.remote()) {
            statement = statement.bind("source", source.location());
        }
        if (day != null) {
            statement = statement.bind("day", day);
        }
        for (Map.Entry<String, Object> setting : READ_SETTINGS.entrySet()) {
            statement = statement.setting(setting.getKey(), setting.getValue());
        }
        Body body = null;
        long size = 0;
        if (!source.remote()) {
            try {
                Path path = Path.of(source.location());
                size = Files.size(path);
                body = Body.ofFile(path, source.compression());
            } catch (IOException e) {
                throw new IngestException("Cannot read " + source.location() + ": " + e.getMessage());
            }
        }
        long bytes = size;
        Body file = body;
        try {
            // While the file is being sent, its share sent; once sent (Parquet is read whole), no estimate.
            QueryProgress.run(clickHouse, statement, body, "read " + name(), progress, -1,
                    status -> bytes > 0 ? (file.sent() < bytes ? (double) file.sent() / bytes : -1) : status.fraction());
        } catch (ClickHouseException e) {
            if (e.kind() == ClickHouseException.Kind.QUERY) {
                throw new IngestException("Cannot read " + source.label() + " as " + source.format().name().toLowerCase()
                        + ": " + firstLine(e.getMessage()) + " Nothing was loaded.", e);
            }
            throw e;
        }
    }

    private Contents inspect(LocalDate day) {
        Map<String, Object> summary = clickHouse.queryOne(Sql.of("""
                        SELECT count() AS rows,
                               countIf(timestamp IS NULL) AS no_time,
                               countIf(project IS NULL OR project = '') AS no_project,
                               toString(sum(cityHash64(formatRowNoNewline('TSV', *)))) AS hash
                        FROM %s""".formatted(table)),
                row -> Map.<String, Object>of("rows", row.getLong("rows"), "no_time", row.getLong("no_time"),
                        "no_project", row.getLong("no_project"), "hash", row.getString("hash"))).block();
        long rows = (Long) summary.get("rows");
        if (rows == 0) {
            throw new IngestException(day == null
                    ? source.label() + " contains no download rows. Nothing was loaded."
                    : source.label() + " has no downloads on " + day + ". Nothing was changed.");
        }
        for (String column : List.of("timestamp", "project")) {
            long missing = (Long) summary.get(column.equals("timestamp") ? "no_time" : "no_project");
            if (missing == rows) {
                throw new IngestException(source.label() + " does not look like a PyPI download export (BigQuery "
                        + "file_downloads): none of its " + rows + " rows has a '" + column + "' value. Expected columns: "
                        + "timestamp, country_code, url, project, file{filename, project, version, type}, details{...} "
                        + "(or the flattened installer, python, system, distro, ci ...). Nothing was loaded.");
            }
            if (missing > 0) {
                throw new IngestException(missing + " of " + rows + " rows in " + source.label() + " have no '" + column
                        + "'. Nothing was loaded.");
            }
        }
        Map<LocalDate, Long> perDay = new java.util.TreeMap<>();
        clickHouse.query(Sql.of("SELECT toDate(timestamp) AS day, count() AS rows FROM " + table + " GROUP BY day"),
                row -> Map.entry(row.getDate("day"), row.getLong("rows"))).toStream()
                .forEach(entry -> perDay.put(entry.getKey(), entry.getValue()));
        LocalDate first = perDay.keySet().iterator().next();
        LocalDate last = ((java.util.TreeMap<LocalDate, Long>) perDay).lastKey();
        return new Contents(rows, first, last, rows + "-" + summary.get("hash"), perDay);
    }

    String name() {
        String location = source.label();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static String firstLine(String message) {
        String text = message.replaceFirst("^ClickHouse rejected a statement: ", "");
        text = text.replaceAll("\\s*\\(version [0-9.]+\\)", "").replaceAll("Code: \\d+\\. DB::Exception: ", "");
        int newline = text.indexOf('\n');
        text = (newline > 0 ? text.substring(0, newline) : text).strip();
        return text.endsWith(".") ? text : text + ".";
    }

    @Override
    public void close() {
        try {
            clickHouse.execute(Sql.of("DROP TABLE IF EXISTS " + table)).block();
        } catch (RuntimeException ignored) {
            // Best effort: a leftover working table holds no counted data and is named ingest_stage_*; sweep() drops it later.
        } finally {
            OPEN.remove(table);
        }
    }

    static Duration elapsedSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
