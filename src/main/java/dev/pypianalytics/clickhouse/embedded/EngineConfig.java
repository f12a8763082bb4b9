package dev.pypianalytics.clickhouse.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The embedded engine's configuration, written as ClickHouse configuration files before it starts: a
 * query log ({@code system.query_log}, kept 7 days: find an API request's queries by
 * {@code query_id LIKE '<request id>-%'}; see {@link #SYSTEM_DATABASE_FILE} for how it survives
 * restarts) and the users:
 * {@code default}, the administrative user of migrations and ingestion (passwordless, loopback only,
 * as clickhouse-local's built-in one), and a read-only API user with a random password for this run,
 * allowed to read the warehouse database (and its dictionaries, and {@code system.parts} for table
 * sizes) and the other databases named (the GitHub events'), and nothing else; its profile is {@code readonly = 2} (reads and per-query settings only) with
 * an upper bound on {@code max_execution_time}.
 *
 * @param user               the API user's name
 * @param password           its password (only its SHA-256 is written)
 * @param database           the warehouse database it may read
 * @param maxExecutionTime   the most seconds one of its queries may be allowed to run
 * @param alsoReadable       other databases it may read (and use the dictionaries of)
 */
public record EngineConfig(String user, String password, String database, long maxExecutionTime, List<String> alsoReadable) {

    static final String CONFIG_FILE = "engine-config.xml";
    static final String USERS_FILE = "engine-users.xml";

    /**
     * Declares the {@code system} database on disk. clickhouse-local keeps {@code system} in memory unless
     * this file exists: the query log's table was then forgotten at each restart, and recreating it
     * failed on the data its first incarnation left behind, so {@code system.query_log} vanished for
     * good after the first restart. With the file, {@code system} is an Atomic database like a server's.
     */
    static final Path SYSTEM_DATABASE_FILE = Path.of("metadata", "system.sql");

    /** Where the system tables' data of a directory from before {@link #SYSTEM_DATABASE_FILE} is moved. */
    static final String EARLIER_SYSTEM_LOGS_PREFIX = "system-logs-before-";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public EngineConfig {
        if (!IDENTIFIER.matcher(user).matches() || user.equals("default")) {
            throw new IllegalArgumentException("API user name must be an identifier other than 'default': " + user);
        }
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database must be an identifier: " + database);
        }
        alsoReadable = List.copyOf(alsoReadable);
        for (String other : alsoReadable) {
            if (!IDENTIFIER.matcher(other).matches()) {
                throw new IllegalArgumentException("database must be an identifier: " + other);
            }
        }
    }

    /** An API user with a new random password. */
    public static EngineConfig withRandomPassword(String user, String database, long maxExecutionTime) {
        return withRandomPassword(user, database, maxExecutionTime, List.of());
    }

    /** An API user with a new random password who may also read {@code alsoReadable}. */
    public static EngineConfig withRandomPassword(String user, String database, long maxExecutionTime, List<String> alsoReadable) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return new EngineConfig(user, HexFormat.of().formatHex(secret), database, maxExecutionTime,
                alsoReadable.stream().filter(other -> !other.equals(database)).distinct().toList());
    }

    /**
     * Writes both files into {@code directory} (and declares the {@code system} database there once);
     * returns the main configuration file to start the engine with.
     */
    Path write(Path directory) throws IOException {
        Path systemDatabase = directory.resolve(SYSTEM_DATABASE_FILE);
        if (!Files.exists(systemDatabase)) {
            Path inMemoryEraLogs = directory.resolve("data").resolve("system");
            if (Files.exists(inMemoryEraLogs)) {
                // The first run's query log under the in-memory system database of earlier versions (unreadable
                // since); an Atomic database refuses to load over it ("is not a symlink"). Kept aside, not deleted.
                Files.move(inMemoryEraLogs, directory.resolve(EARLIER_SYSTEM_LOGS_PREFIX + System.currentTimeMillis()));
            }
            Files.createDirectories(systemDatabase.getParent());
            // The form a ClickHouse server writes for its own system database; the UUID names its store directory.
            Files.writeString(systemDatabase, "ATTACH DATABASE _ UUID '" + UUID.randomUUID() + "'\nENGINE = Atomic\n",
                    StandardCharsets.UTF_8);
        }
        Path users = directory.resolve(USERS_FILE);
        writePrivate(users, usersXml());
        Path config = directory.resolve(CONFIG_FILE);
        writePrivate(config, """
                <!-- Written by the gateway at each start of the embedded engine; changes are overwritten. -->
                <clickhouse>
                    <users_config>%s</users_config>
                    <query_log>
                        <database>system</database>
                        <table>query_log</table>
                        <flush_interval_milliseconds>1000</flush_interval_milliseconds>
                        <ttl>event_date + INTERVAL 7 DAY DELETE</ttl>
                    </query_log>
                </clickhouse>
                """.formatted(users.toAbsolutePath()));
        return config;
    }

    String usersXml() {
        return """
                <!-- Written by the gateway at each start of the embedded engine; changes are overwritten. -->
                <clickhouse>
                    <profiles>
                        <default/>
                        <api_readonly>
                            <readonly>2</readonly>
                            <constraints>
                                <max_execution_time><max>%d</max></max_execution_time>
                            </constraints>
                        </api_readonly>
                    </profiles>
                    <quotas><default/></quotas>
                    <users>
                        <default>
                            <no_password/>
                            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </default>
                        <%s>
                            <password_sha256_hex>%s</password_sha256_hex>
                            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                            <profile>api_readonly</profile>
                            <quota>default</quota>
                            <grants>
                                <query>GRANT SELECT, dictGet ON %s.*</query>
                                %s<query>GRANT SELECT ON system.parts</query>
                            </grants>
                        </%s>
                    </users>
                </clickhouse>
                """.formatted(maxExecutionTime, user, sha256Hex(password), database, alsoReadable.stream()
                .map(other -> "<query>GRANT SELECT, dictGet ON " + other + ".*</query>\n                                ")
                .collect(java.util.stream.Collectors.joining()), user);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: the data directory's own permissions apply.
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "EngineConfig[user=" + user + ", database=" + database + "]";
    }
}
