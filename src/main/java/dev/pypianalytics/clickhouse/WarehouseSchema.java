package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.migrations.MigrationFile;
import dev.pypianalytics.clickhouse.migrations.SchemaMigrationException;
import dev.pypianalytics.clickhouse.migrations.SchemaMigrations;
import dev.pypianalytics.config.ClickHouseProperties;
import dev.pypianalytics.config.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the warehouse schema up to date at start-up, before the API takes requests: creates the
 * database if it is missing (and we may), then applies pending {@code sql/} files. An attached warehouse
 * (someone else's, {@code pypi.warehouse.mode=ATTACHED}) is left exactly as it is.
 */
public class WarehouseSchema implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(WarehouseSchema.class);

    /** Stands for the GitHub database's name in {@code sql/} files; the checksum stays that of the file as written. */
    public static final String GITHUB_DATABASE_TOKEN = "${github}";

    private final HttpClickHouse clickHouse;
    private final ClickHouseProperties clickHouseProperties;
    private final MigrationProperties properties;
    private final ResourcePatternResolver resources;
    private final boolean attached;
    private final String githubDatabase;
    private volatile SchemaMigrations.Report report = new SchemaMigrations.Report(List.of(), List.of());

    /** @param githubDatabase the GitHub events' database, named {@code ${github}} in the files (a plain identifier) */
    WarehouseSchema(HttpClickHouse clickHouse, ClickHouseProperties clickHouseProperties, MigrationProperties properties,
                    boolean attached, ResourcePatternResolver resources, String githubDatabase) {
        this.attached = attached;
        this.githubDatabase = githubDatabase;
        this.clickHouse = clickHouse;
        this.clickHouseProperties = clickHouseProperties;
        this.properties = properties;
        this.resources = resources;
    }

    @Override
    public void afterPropertiesSet() {
        if (attached) {
            log.info("Attached warehouse (pypi.warehouse.mode=ATTACHED): no database creation, no schema migrations");
            return;
        }
        ensureDatabase();
        if (!properties.enabled()) {
            log.info("Schema migrations are disabled (pypi.migrations.enabled=false)");
            return;
        }
        report = new SchemaMigrations(clickHouse).apply(files());
        if (!report.changed().isEmpty()) {
            StringBuilder message = new StringBuilder("Already applied schema files changed since they were applied; "
                    + "they are not re-run. Put schema changes in a new sql/ file instead:");
            report.changed().forEach(c -> message.append("\n  sql/").append(c.name()).append(": applied ")
                    .append(c.appliedChecksum(), 0, 12).append("…, now ").append(c.currentChecksum(), 0, 12).append("…"));
            if (properties.onChangedFile() == MigrationProperties.OnChangedFile.FAIL) {
                throw new SchemaMigrationException(message
                        + "\n(Set pypi.migrations.on-changed-file=WARN to start anyway.)");
            }
            log.warn("{}", message);
        }
        if (!report.applied().isEmpty()) {
            List<String> filled = new Aggregates(clickHouse).backfillEmpty(Duration.ofHours(6));
            if (!filled.isEmpty()) {
                log.info("Filled new aggregate tables from the downloads already in pypi: {}", filled);
            }
        }
    }

    /** The last run's report: what was applied, what changed. */
    public SchemaMigrations.Report report() {
        return report;
    }

    /**
     * Another database on the same server with the same schema (created if missing, then the same {@code sql/}
     * files applied): the {@code validate} command's shadow warehouse. Returns a port whose default database it is.
     */
    public HttpClickHouse migrateAnother(String database) {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("A database name must be a plain identifier, got '" + database + "'.");
        }
        ensureDatabase(database);
        HttpClickHouse other = HttpClickHouse.administrative(clickHouse.endpoint().withDatabase(database),
                clickHouseProperties.connectTimeout(), clickHouseProperties.queryTimeout());
        new SchemaMigrations(other).apply(files());
        return other;
    }

    private void ensureDatabase() {
        ensureDatabase(clickHouseProperties.database());
    }

    private void ensureDatabase(String database) {
        HttpClickHouse server = HttpClickHouse.administrative(clickHouse.endpoint().withDatabase(""),
                clickHouseProperties.connectTimeout(), Duration.ofSeconds(30));
        Long exists = server.queryOne(Sql.of("SELECT count() AS n FROM system.databases WHERE name = {database:String}")
                .bind("database", database), row -> row.getLong("n")).block();
        if (exists == null || exists == 0) {
            log.info("Creating database {}", database);
            // The name is validated as a plain identifier by ClickHouseProperties.
            server.execute(Sql.of("CREATE DATABASE IF NOT EXISTS `" + database + "`")).block();
        }
    }

    private List<MigrationFile> files() {
        List<MigrationFile> files = new ArrayList<>();
        try {
            for (Resource resource : resources.getResources(properties.location())) {
                String name = resource.getFilename();
                if (name != null) {
                    MigrationFile file = MigrationFile.parse(name, resource.getContentAsString(StandardCharsets.UTF_8));
                    files.add(new MigrationFile(file.name(), file.statement().replace(GITHUB_DATABASE_TOKEN, githubDatabase),
                            file.checksum()));
                }
            }
        } catch (IOException e) {
            throw new SchemaMigrationException("Cannot read schema files at " + properties.location() + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new SchemaMigrationException("No schema files found at " + properties.location());
        }
        return files;
    }
}
