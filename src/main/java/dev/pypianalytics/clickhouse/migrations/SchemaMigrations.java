package dev.pypianalytics.clickhouse.migrations;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies the {@code sql/} files in name order, each once: applied files are recorded in
 * {@code schema_migrations} with a checksum, so an upgrade applies only the new ones. A file whose
 * content changed after it was applied is reported and never re-run.
 */
public final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    static final String TABLE = "schema_migrations";

    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(10);

    /** A file that was applied with other content than it has now. */
    public record ChangedFile(String name, String appliedChecksum, String currentChecksum) {
    }

    /**
     * What a run did.
     *
     * @param applied files applied by this run
     * @param changed already applied files whose content differs now (not re-run)
     */
    public record Report(List<String> applied, List<ChangedFile> changed) {
    }

    private final ClickHouse clickHouse;
    private final String cluster;

    public SchemaMigrations(ClickHouse clickHouse) {
        this(clickHouse, "");
    }

    /** @param cluster a self-managed cluster's name: the record table is replicated like the rest ({@link ClusterDdl}) */
    public SchemaMigrations(ClickHouse clickHouse, String cluster) {
        this.clickHouse = clickHouse;
        this.cluster = cluster;
    }

    /** Applies pending files. Blocks: it runs at start-up, before the API serves requests. */
    public Report apply(List<MigrationFile> files) {
        List<MigrationFile> ordered = files.stream().sorted(Comparator.comparing(MigrationFile::name)).toList();
        execute(Sql.of(ClusterDdl.statement("CREATE TABLE IF NOT EXISTS " + TABLE + " (name String, checksum String, "
                + "applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = MergeTree ORDER BY name", cluster)), TABLE);
        Map<String, String> applied = clickHouse.query(
                        Sql.of("SELECT name, argMin(checksum, applied_at) AS checksum FROM " + TABLE + " GROUP BY name"),
                        row -> Map.entry(row.getString("name"), row.getString("checksum")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))
                .block();
        List<String> done = new ArrayList<>();
        List<ChangedFile> changed = new ArrayList<>();
        for (MigrationFile file : ordered) {
            String previous = applied.get(file.name());
            if (previous == null) {
                log.info("Applying sql/{}", file.name());
                execute(Sql.of(file.statement()), file.name());
                execute(Sql.of("INSERT INTO " + TABLE + " (name, checksum) VALUES ({name:String}, {checksum:String})")
                        .bind("name", file.name()).bind("checksum", file.checksum()), file.name());
                done.add(file.name());
            } else if (!previous.equals(file.checksum())) {
                changed.add(new ChangedFile(file.name(), previous, file.checksum()));
            }
        }
        if (!done.isEmpty()) {
            log.info("Schema migrations: applied {} file(s), {} already applied", done.size(), ordered.size() - done.size());
        }
        return new Report(done, changed);
    }

    private void execute(Sql sql, String file) {
        try {
            clickHouse.execute(sql.withTimeout(STATEMENT_TIMEOUT)).block();
        } catch (ClickHouseException e) {
            throw new SchemaMigrationException("Applying sql/" + file + " failed: " + e.getMessage(), e);
        }
    }
}
