package dev.pypianalytics.support;

import dev.pypianalytics.clickhouse.embedded.EmbeddedEngine;
import dev.pypianalytics.clickhouse.embedded.EngineConfig;
import dev.pypianalytics.clickhouse.embedded.RestartBackoff;
import dev.pypianalytics.clickhouse.embedded.TestEngines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A warehouse in ClickPy's layout on an embedded engine of its own, for tests of the gateway attached to
 * a warehouse it does not own: the tables, views and dictionaries of {@code clickpy-layout/clickpy-layout.sql}
 * (written from ClickPy's documented facts, defects included), filled with generated downloads loaded
 * through the raw table {@code pypi.pypi} so that the views fill the aggregates as they do at ClickPy,
 * and a user like ClickPy's public one ({@link #user()}): the settings of ClickPy's read-only role
 * ({@code readonly = 1}, at most 1000 result rows with {@code result_overflow_mode = 'break'}, ...),
 * {@code SELECT} and {@code dictGet} on {@code pypi.*} and nothing else, so it cannot read {@code system.parts}.
 *
 * <p>One per test JVM, started at the first call of {@link #get()} (about 20-40 s: engine start and load)
 * and stopped when the JVM ends.
 *
 * <p>How the user is made, and why not as ClickPy makes it: ClickPy's {@code scripts/create_user.sh} runs
 * {@code CREATE ROLE play SETTINGS ...}, {@code CREATE USER}, {@code GRANT}. The embedded engine
 * (clickhouse-local) keeps users only in its users file: it ignores {@code user_directories /
 * local_directory}, and {@code CREATE ROLE} answers code 514 {@code ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND}.
 * So the same settings are a profile and the same grants are the user's {@code <grants>} in a users file
 * merged into the engine's own ({@link TestEngines#usersOverrides}); the engine's own users stay as they
 * are. {@code system} tables need a grant once {@code access_control_improvements /
 * select_from_system_db_requires_grant} is on (written into {@link TestEngines#configOverrides}).
 */
public final class ClickPyLayoutWarehouse {

    /** The warehouse database, as at ClickPy. */
    public static final String DATABASE = "pypi";

    /** The ClickPy-like public user's name (ClickPy's is {@code play} too). */
    public static final String USER = "play";

    /** The same user with a small quota: {@link #LIMITED_USER_QUERIES} statements an hour, then QUOTA_EXCEEDED (201). */
    public static final String LIMITED_USER = "play_limited";

    /** How many statements an hour {@link #LIMITED_USER} may send. */
    public static final int LIMITED_USER_QUERIES = 40;

    /** The largest project: more than 1,000 versions and more than 1,000 days of downloads. */
    public static final String BIG_PROJECT = "boto3";

    /**
     * A generated project.
     *
     * @param name          project name
     * @param downloads     rows in {@code pypi.pypi}
     * @param days          downloads fall on the {@code days} days ending at {@link #lastDay()}
     * @param versions      how many versions ({@code versionPrefix + 0 .. versions - 1})
     * @param versionPrefix what each version starts with
     */
    public record Project(String name, long downloads, int days, int versions, String versionPrefix) {
    }

    /** What is generated: sizes over two orders of magnitude; the last one exists only in recent weeks. */
    public static final List<Project> PROJECTS = List.of(
            new Project(BIG_PROJECT, 150_000, 1_100, 1_200, "1.0."),
            new Project("requests", 60_000, 800, 40, "2."),
            new Project("numpy", 24_000, 760, 12, "1."),
            new Project("clickhouse-connect", 5_000, 730, 3, "0.7."),
            new Project("tiny-tool", 1_000, 60, 2, "0.1."));

    /** Country codes drawn (the US three times as often); {@code ''} is the unknown country, as in PyPI's data. */
    static final List<String> COUNTRIES = List.of("US", "US", "US", "DE", "CN", "GB", "IN", "FR", "JP", "BR", "NL", "");
    static final List<String> INSTALLERS = List.of("pip", "pip", "pip", "uv", "poetry", "", "bandersnatch", "requests");
    static final List<String> PYTHONS = List.of("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "");
    static final List<String> SYSTEMS = List.of("Linux", "Linux", "Linux", "Windows", "Darwin", "", "FreeBSD");

    private static final Map<String, String> COUNTRY_NAMES = Map.of("US", "United States of America", "DE", "Germany",
            "CN", "China", "GB", "United Kingdom of Great Britain and Northern Ireland", "IN", "India", "FR", "France",
            "JP", "Japan", "BR", "Brazil", "NL", "Netherlands");

    private static final String LAYOUT = "/clickpy-layout/clickpy-layout.sql";

    private static ClickPyLayoutWarehouse instance;

    private final EmbeddedEngine engine;
    private final String password;
    private final LocalDate lastDay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ClickPyLayoutWarehouse(EmbeddedEngine engine, String password, LocalDate lastDay) {
        this.engine = engine;
        this.password = password;
        this.lastDay = lastDay;
    }

    /** This JVM's warehouse, started and loaded at the first call. */
    public static synchronized ClickPyLayoutWarehouse get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static ClickPyLayoutWarehouse start() {
        Path dataDir = TestWarehouse.newDirectory("clickpy-layout");
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try {
            Files.createDirectories(TestEngines.configOverrides(dataDir));
            Files.writeString(TestEngines.configOverrides(dataDir).resolve("clickpy-layout.xml"), CONFIG_XML);
            Files.createDirectories(TestEngines.usersOverrides(dataDir));
            Files.writeString(TestEngines.usersOverrides(dataDir).resolve("clickpy-layout.xml"), usersXml(password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The engine's own API user is not used here; the engine needs a configuration to read the files above.
        EmbeddedEngine engine = new EmbeddedEngine(TestEngines.library(), dataDir, 0, Duration.ofSeconds(120),
                Duration.ofSeconds(30), new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)),
                EmbeddedEngine.hostCommandForThisJvm("96m"), EngineConfig.withRandomPassword("pypi_api", DATABASE, 60)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "clickpy-layout-engine-stop"));
        ClickPyLayoutWarehouse warehouse = new ClickPyLayoutWarehouse(engine, password, LocalDate.now(ZoneOffset.UTC).minusDays(1));
        warehouse.load();
        return warehouse;
    }

    /** The engine's HTTP interface, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return engine.url();
    }

    /** The ClickPy-like public user (see the class comment). */
    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return DATABASE;
    }

    /** The most recent day with downloads: yesterday (UTC) when the warehouse was loaded. */
    public LocalDate lastDay() {
        return lastDay;
    }

    /** The oldest day with downloads (of {@link #BIG_PROJECT}). */
    public LocalDate firstDay() {
        return lastDay.minusDays(PROJECTS.stream().mapToInt(Project::days).max().orElseThrow() - 1);
    }

    /**
     * An answer of the engine's HTTP interface.
     *
     * @param status        HTTP status
     * @param exceptionCode ClickHouse's error code ({@code X-ClickHouse-Exception-Code}), or {@code null}
     * @param body          the body as text
     */
    public record Answer(int status, String exceptionCode, String body) {

        /** The body as rows of TabSeparated fields (the default format). */
        public List<List<String>> rows() {
            return body.lines().map(line -> Arrays.asList(line.split("\t", -1))).toList();
        }
    }

    /** Runs {@code sql} as the ClickPy-like user with {@code pypi} as the current database. */
    public Answer queryAsUser(String sql) {
        return queryAsUser(sql, Map.of());
    }

    /** As {@link #queryAsUser(String)}, with more URL parameters (settings, {@code param_x}, ...). */
    public Answer queryAsUser(String sql, Map<String, String> urlParameters) {
        return send(sql, USER, password, urlParameters);
    }

    /**
     * Runs {@code sql} as the engine's administrator ({@code default}, no limits) with {@code pypi} as the
     * current database: the truth side (the same aggregation over the raw {@code pypi.pypi}), or a change.
     * Throws when the engine refuses it.
     */
    public String queryAsAdmin(String sql) {
        Answer answer = send(sql, "default", "", Map.of());
        if (answer.status() != 200) {
            throw new IllegalStateException("engine refused (" + answer.exceptionCode() + "): " + answer.body().strip()
                    + "\nstatement: " + sql);
        }
        return answer.body();
    }

    /** {@link #queryAsAdmin} as rows of TabSeparated fields. */
    public List<List<String>> rowsAsAdmin(String sql) {
        return new Answer(200, null, queryAsAdmin(sql)).rows();
    }

    /** {@link #queryAsAdmin} of a statement answering one number. */
    public long longAsAdmin(String sql) {
        return Long.parseLong(queryAsAdmin(sql).strip());
    }

    private Answer send(String sql, String user, String password, Map<String, String> urlParameters) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("database", DATABASE);
        parameters.putAll(urlParameters);
        String query = parameters.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(url().resolve("/?" + query))
                .timeout(Duration.ofMinutes(2))
                .header("X-ClickHouse-User", user)
                .header("X-ClickHouse-Key", password)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().firstValue("X-ClickHouse-Exception-Code").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates the layout and fills it; every aggregate is merged at the end, as in a warehouse that has run a while. */
    private void load() {
        queryAsAdminIn("default", "CREATE DATABASE IF NOT EXISTS " + DATABASE);
        for (String statement : layoutStatements()) {
            if (!statement.startsWith("CREATE DATABASE")) {
                queryAsAdmin(statement);
            }
        }
        long offset = 0;
        for (Project project : PROJECTS) {
            queryAsAdmin(downloads(project, offset));
            queryAsAdmin(releases(project));
            offset += project.downloads();
        }
        queryAsAdmin("INSERT INTO pypi.countries (name, code) VALUES " + COUNTRY_NAMES.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> "('" + entry.getValue() + "', '" + entry.getKey() + "')")
                .collect(Collectors.joining(", ")));
        for (List<String> table : rowsAsAdmin("SELECT name FROM system.tables WHERE database = 'pypi' AND engine LIKE '%MergeTree' ORDER BY name")) {
            queryAsAdmin("OPTIMIZE TABLE pypi." + table.getFirst() + " FINAL");
        }
        queryAsAdmin("SYSTEM RELOAD DICTIONARY pypi.countries_dict");
        queryAsAdmin("SYSTEM RELOAD DICTIONARY pypi.last_updated_dict");
    }

    private void queryAsAdminIn(String database, String sql) {
        Answer answer = send(sql, "default", "", Map.of("database", database));
        if (answer.status() != 200) {
            throw new IllegalStateException("engine refused (" + answer.exceptionCode() + "): " + answer.body().strip());
        }
    }

    /** The layout's statements: comments dropped, split at a semicolon that ends a line. */
    static List<String> layoutStatements() {
        String text;
        try (InputStream in = ClickPyLayoutWarehouse.class.getResourceAsStream(LAYOUT)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + LAYOUT);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String withoutComments = text.lines().filter(line -> !line.strip().startsWith("--")).collect(Collectors.joining("\n"));
        return Arrays.stream(withoutComments.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * One project's downloads: row {@code n} draws each column from its own hash of {@code n} (the same
     * rows at every load of the same day), spread over the project's days ending at {@link #lastDay}.
     */
    private String downloads(Project project, long offset) {
        return """
                INSERT INTO pypi.pypi (date, country_code, project, type, installer, python_minor, system, version)
                SELECT toDate('%s') - toIntervalDay(cityHash64(n, 1) %% %d),
                       %s[1 + cityHash64(n, 2) %% %d],
                       '%s',
                       multiIf(cityHash64(n, 3) %% 10 < 7, 'bdist_wheel', cityHash64(n, 3) %% 10 < 9, 'sdist', 'bdist_egg'),
                       %s[1 + cityHash64(n, 4) %% %d],
                       %s[1 + cityHash64(n, 5) %% %d],
                       %s[1 + cityHash64(n, 6) %% %d],
                       concat('%s', toString(cityHash64(n, 7) %% %d))
                FROM (SELECT number + %d AS n FROM numbers(%d))
                """.formatted(lastDay, project.days(),
                array(COUNTRIES), COUNTRIES.size(),
                project.name(),
                array(INSTALLERS), INSTALLERS.size(),
                array(PYTHONS), PYTHONS.size(),
                array(SYSTEMS), SYSTEMS.size(),
                project.versionPrefix(), project.versions(),
                offset, project.downloads());
    }

    /**
     * One project's releases in {@code pypi.projects}: a wheel per version, every third version an sdist too,
     * uploaded 12 hours apart, the highest version number last.
     */
    private String releases(Project project) {
        return """
                INSERT INTO pypi.projects (metadata_version, name, version, summary, author, license, home_page,
                                           requires_python, upload_time, filename, size, packagetype, python_version)
                SELECT '2.1', '%1$s', concat('%2$s', toString(v)), 'The %1$s package (generated)', 'Test Author', 'MIT',
                       'https://example.org/%1$s', '>=3.8',
                       toDateTime64('%3$s 12:00:00', 3, 'UTC') - toIntervalHour(12 * (%4$d - v)) + toIntervalMinute(sdist),
                       concat('%1$s-', concat('%2$s', toString(v)), if(sdist = 1, '.tar.gz', '-py3-none-any.whl')),
                       10000 + v, if(sdist = 1, 'sdist', 'bdist_wheel'), if(sdist = 1, 'source', 'py3')
                FROM (SELECT number AS v FROM numbers(%4$d)) ARRAY JOIN if(v %% 3 = 0, [0, 1], [0]) AS sdist
                """.formatted(project.name(), project.versionPrefix(), lastDay, project.versions());
    }

    private static String array(List<String> values) {
        return values.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static final String CONFIG_XML = """
            <!-- Written by ClickPyLayoutWarehouse: system tables need a grant, as on a shared server. -->
            <clickhouse>
                <access_control_improvements>
                    <select_from_system_db_requires_grant>true</select_from_system_db_requires_grant>
                </access_control_improvements>
            </clickhouse>
            """;

    /** ClickPy's role {@code play} as a profile (same settings), its user {@code play} with the same grants. */
    private static String usersXml(String password) {
        return """
                <!-- Written by ClickPyLayoutWarehouse: a user like ClickPy's public one (scripts/create_user.sh). -->
                <clickhouse>
                    <profiles>
                        <clickpy_play>
                            <readonly>1</readonly>
                            <add_http_cors_header>1</add_http_cors_header>
                            <max_execution_time>60</max_execution_time>
                            <max_rows_to_read>10000000000</max_rows_to_read>
                            <max_bytes_to_read>1000000000000</max_bytes_to_read>
                            <max_network_bandwidth>25000000</max_network_bandwidth>
                            <max_memory_usage>20000000000</max_memory_usage>
                            <max_bytes_before_external_group_by>10000000000</max_bytes_before_external_group_by>
                            <max_result_rows>1000</max_result_rows>
                            <max_result_bytes>10000000</max_result_bytes>
                            <result_overflow_mode>break</result_overflow_mode>
                            <enable_http_compression>1</enable_http_compression>
                            <constraints>
                                <enable_http_compression><changeable_in_readonly/></enable_http_compression>
                            </constraints>
                        </clickpy_play>
                    </profiles>
                    <quotas>
                        <clickpy_small>
                            <interval>
                                <duration>3600</duration>
                                <queries>%4$d</queries>
                                <errors>0</errors>
                                <result_rows>0</result_rows>
                                <read_rows>0</read_rows>
                                <execution_time>0</execution_time>
                            </interval>
                        </clickpy_small>
                    </quotas>
                    <users>
                        <%1$s>
                            <password_sha256_hex>%2$s</password_sha256_hex>
                            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                            <profile>clickpy_play</profile>
                            <quota>default</quota>
                            <grants>
                                <query>GRANT SELECT, dictGet ON %3$s.*</query>
                                <query>GRANT SELECT ON github.*</query>
                            </grants>
                        </%1$s>
                        <%5$s>
                            <password_sha256_hex>%2$s</password_sha256_hex>
                            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                            <profile>clickpy_play</profile>
                            <quota>clickpy_small</quota>
                            <grants>
                                <query>GRANT SELECT, dictGet ON %3$s.*</query>
                            </grants>
                        </%5$s>
                    </users>
                </clickhouse>
                """.formatted(USER, sha256Hex(password), DATABASE, LIMITED_USER_QUERIES, LIMITED_USER);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
