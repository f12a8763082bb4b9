package dev.pypianalytics.clickhouse;

import dev.pypianalytics.clickhouse.migrations.ClusterDdl;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings the warehouse schema up to date at start-up, before the API takes requests: creates the
 * database if it is missing (and we may), then applies pending {@code sql/} files. An attached warehouse
 * (someone else's, {@code pypi.warehouse.mode=ATTACHED}) is left exactly as it is.
 */
public class WarehouseSchema implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(WarehouseSchema.class);

    /** The file that creates the lease table ({@code CREATE TABLE IF NOT EXISTS}). */
    static final String LEASE_TABLE_FILE = "0064_ingest_lease.sql";

    /** How long contenders for the migrations lease wait before reading back who won (one server: immediate). */
    private static final Duration LEASE_SETTLE = Duration.ofMillis(300);

    private static final String CLUSTER_ACTION = "Set pypi.clickhouse.cluster (PYPI_CLICKHOUSE_CLUSTER) to a cluster of the servers' "
            + "remote_servers, or leave it empty for one server or ClickHouse Cloud. Nothing was created.";

    /** How often a waiting instance looks whether the migrations lease is free. */
    private static final Duration WAIT_POLL = Duration.ofMillis(500);

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
        checkCluster();
        ensureDatabase();
        if (!properties.enabled()) {
            log.info("Schema migrations are disabled (pypi.migrations.enabled=false)");
            return;
        }
        migrate();
    }

    /**
     * Applies pending {@code sql/} files while holding the warehouse's migrations lease ({@link Lease#MIGRATIONS}):
     * instances started together take turns, and the later ones find the files applied. Waits for another
     * instance's migrations at most {@code pypi.migrations.lock-wait}; one that died while migrating holds the lease
     * until it lapses ({@code lock-duration}). Used at start-up and by the {@code migrate} command.
     */
    public SchemaMigrations.Report migrate() {
        List<MigrationFile> files = files();
        createLeaseTable(files);
        Lease lease = new Lease(clickHouse, Lease.MIGRATIONS, properties.lockDuration(), LEASE_SETTLE);
        long deadline = System.nanoTime() + properties.lockWait().toNanos();
        String waitingFor = null;
        while (!lease.acquireOrRenew()) {
            Lease.Holder holder = lease.current();
            String other = holder == null ? "another instance" : holder.holder();
            if (!other.equals(waitingFor)) {
                log.info("Waiting for {} to finish migrating the schema", other);
                waitingFor = other;
            }
            if (System.nanoTime() > deadline) {
                throw new SchemaMigrationException("Another instance (" + other + ") has been migrating the schema for longer than "
                        + "pypi.migrations.lock-wait (" + properties.lockWait() + "); not starting.",
                        "Let that instance finish, or, if it died, wait until its migrations lease lapses (pypi.migrations.lock-duration; "
                                + "ingest_lease, name 'migrations'); raise pypi.migrations.lock-wait for migrations that take longer.", null);
            }
            LockSupport.parkNanos(WAIT_POLL.toNanos());
        }
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "migrations-lease");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, properties.lockDuration().toMillis() / 3);
        renewer.scheduleWithFixedDelay(() -> {
            try {
                if (!lease.renew()) {
                    log.error("Lost the migrations lease while migrating (paused longer than pypi.migrations.lock-duration?)");
                }
            } catch (RuntimeException e) {
                log.warn("Could not renew the migrations lease: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            report = new SchemaMigrations(clickHouse, clickHouseProperties.cluster()).apply(files);
        } finally {
            renewer.shutdownNow();
            try {
                lease.release();
            } catch (RuntimeException e) {
                log.warn("Could not release the migrations lease (it lapses in {}): {}", properties.lockDuration(), e.getMessage());
            }
        }
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
        return report;
    }

    /** The lease's own table, before the lease is taken: its file creates it only if missing, so running it first is safe. */
    private void createLeaseTable(List<MigrationFile> files) {
        MigrationFile lease = files.stream().filter(file -> file.name().equals(LEASE_TABLE_FILE)).findFirst()
                .orElseThrow(() -> new SchemaMigrationException("sql/" + LEASE_TABLE_FILE + " is missing"));
        try {
            clickHouse.execute(Sql.of(lease.statement())).block();
        } catch (ClickHouseException e) {
            throw new SchemaMigrationException("Creating the lease table failed: " + e.getMessage(), e);
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
        new SchemaMigrations(other, clickHouseProperties.cluster()).apply(files());
        return other;
    }

    /**
     * {@code pypi.clickhouse.cluster} names a cluster the server knows, and is not set on ClickHouse Cloud (whose
     * {@code SharedMergeTree} replicates by itself; told apart by that engine, which only Cloud has).
     */
    private void checkCluster() {
        String cluster = clickHouseProperties.cluster();
        HttpClickHouse server = HttpClickHouse.administrative(clickHouse.endpoint().withDatabase(""),
                clickHouseProperties.connectTimeout(), Duration.ofSeconds(30));
        boolean cloud = server.queryOne(Sql.of("SELECT count() AS n FROM system.table_engines WHERE name = 'SharedMergeTree'"),
                row -> row.getLong("n")).block() > 0;
        if (cluster.isEmpty()) {
            if (cloud) {
                log.info("ClickHouse Cloud: its databases replicate the tables by themselves (pypi.clickhouse.cluster stays empty)");
            }
            return;
        }
        if (cloud) {
            throw new SchemaMigrationException("pypi.clickhouse.cluster is for self-managed clusters; this is ClickHouse Cloud, "
                    + "which replicates the tables by itself: leave it empty.", CLUSTER_ACTION, null);
        }
        long nodes = server.queryOne(Sql.of("SELECT count() AS n FROM system.clusters WHERE cluster = {cluster:String}")
                .bind("cluster", cluster), row -> row.getLong("n")).block();
        if (nodes == 0) {
            throw new SchemaMigrationException("pypi.clickhouse.cluster is '" + cluster + "', but the server knows no cluster of "
                    + "that name (system.clusters, from its remote_servers configuration).", CLUSTER_ACTION, null);
        }
        log.info("Cluster {} ({} node(s)): databases Replicated, tables Replicated*MergeTree", cluster, nodes);
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
            server.execute(Sql.of(ClusterDdl.createDatabase(database, clickHouseProperties.cluster()))).block();
        }
    }

    private List<MigrationFile> files() {
        List<MigrationFile> files = new ArrayList<>();
        try {
            for (Resource resource : resources.getResources(properties.location())) {
                String name = resource.getFilename();
                if (name != null) {
                    MigrationFile file = MigrationFile.parse(name, resource.getContentAsString(StandardCharsets.UTF_8));
                    files.add(new MigrationFile(file.name(), ClusterDdl.statement(file.statement().replace(GITHUB_DATABASE_TOKEN, githubDatabase),
                            clickHouseProperties.cluster()), file.checksum()));
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
