package dev.pypianalytics.ingest;

import tools.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.ClickHouseHttp;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader on the real engine: exports reach pypi and every aggregate once, bad files leave nothing behind. */
class IngestIntegrationTests extends IntegrationTest {

    static final Progress QUIET = Progress.to(new PrintStream(OutputStream.nullOutputStream()), false);

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    ClickHouseEndpoint endpoint;

    @TempDir
    Path dir;

    ClickHouseHttp http;
    Ingest ingest;

    @BeforeEach
    void loader() {
        http = new ClickHouseHttp(endpoint, Duration.ofSeconds(5));
        ingest = new Ingest(clickHouse, http);
    }

    Source source(Path file) {
        return Source.expand(List.of(file.toString()), null).getFirst();
    }

    long count(String sql) {
        return WarehouseTruth.count(clickHouse, sql);
    }

    @Test
    void aLoadedExportReachesPypiAndEveryAggregate() {
        Path parquet = ExportFiles.write(http, ExportFiles.select("it-load-", "2019-05-01", 5000), "Parquet", dir.resolve("load.parquet"));

        Ingest.Outcome outcome = ingest.load(source(parquet), QUIET);

        assertThat(outcome.loaded()).isTrue();
        assertThat(outcome.rows()).isEqualTo(5000);
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-load-')")).isEqualTo(5000);
        // The fixture's values follow number % k; the transform must turn them into these pypi values.
        long nullCountries = java.util.stream.LongStream.range(0, 5000).filter(n -> n % 4 == 3).count();
        long unknownCi = java.util.stream.LongStream.range(0, 5000).filter(n -> n % 3 == 1).count();
        long trueCi = java.util.stream.LongStream.range(0, 5000).filter(n -> n % 3 != 1 && n % 2 == 0).count();
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-load-') AND country_code = ''")).isEqualTo(nullCountries);
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-load-') AND ci = 'unknown'")).isEqualTo(unknownCi);
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-load-') AND ci = 'true'")).isEqualTo(trueCi);
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-load-') AND python_minor = '3.13' "
                + "AND libc = ('glibc', '2.35') AND installer IN ('pip', 'uv')")).isEqualTo(1250);
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
        assertThat(count("SELECT count() AS n FROM ingest_files FINAL WHERE source = '" + parquet + "' AND status = 'loaded'")).isEqualTo(1);
        assertThat(count("SELECT count() AS n FROM pypi_freshness FINAL WHERE date IN ('2019-05-01', '2019-05-02') AND status = 'complete'"))
                .isEqualTo(2);
    }

    @Test
    void loadingTheSameRowsAgainUnderAnyNameOrFormatChangesNothing() throws IOException {
        String rows = ExportFiles.select("it-again-", "2019-05-10", 3000);
        Path parquet = ExportFiles.write(http, rows, "Parquet", dir.resolve("again.parquet"));
        Path ndjson = ExportFiles.write(http, rows, "JSONEachRow", dir.resolve("again.ndjson"));
        Path copy = Files.copy(parquet, dir.resolve("renamed-copy.parquet"));
        assertThat(ingest.load(source(parquet), QUIET).loaded()).isTrue();
        Map<String, Long> after = WarehouseTruth.totals(clickHouse);

        for (Path same : List.of(parquet, copy, ndjson)) {
            Ingest.Outcome outcome = ingest.load(source(same), QUIET);
            assertThat(outcome.loaded()).as(same.toString()).isFalse();
            assertThat(outcome.message()).contains("already loaded");
        }

        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(after);
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-again-')")).isEqualTo(3000);
    }

    @Test
    void aSourceLoadedBeforeWithOtherContentIsRefused() {
        Path file = dir.resolve("changed.parquet");
        ExportFiles.write(http, ExportFiles.select("it-changed-", "2019-05-20", 100), "Parquet", file);
        ingest.load(source(file), QUIET);
        ExportFiles.write(http, ExportFiles.select("it-changed-", "2019-05-20", 150), "Parquet", file);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        assertThatThrownBy(() -> ingest.load(source(file), QUIET))
                .isInstanceOf(IngestException.class).hasMessageContaining("loaded before with different content")
                .hasMessageContaining("repair-day");
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing.parquet   | MISSING                                  | No such file
            empty.ndjson      | EMPTY                                    | is empty (0 bytes)
            garbage.ndjson    | this is not json                         | Cannot read
            other.ndjson      | {"a": 1, "b": "x"}                       | does not look like a PyPI download export
            partial.ndjson    | PARTIAL                                  | 1 of 2 rows
            corrupt.parquet   | CORRUPT                                  | Cannot read
            wrong.parquet     | SELECT number AS x FROM numbers(10)      | does not look like a PyPI download export
            norows.parquet    | NOROWS                                   | contains no download rows
            data.csv          | IGNORED                                  | Cannot tell the format
            """)
    void aBadFileFailsCleanlyWithNothingCounted(String name, String content, String message) throws IOException {
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);
        Path file = dir.resolve(name);
        String valid = ExportFiles.select("it-bad-", "2019-07-01", 50);
        switch (content) {
            case "MISSING" -> { }
            case "EMPTY" -> Files.write(file, new byte[0]);
            case "PARTIAL" -> Files.writeString(file, """
                    {"timestamp": "2019-07-01 10:00:00 UTC", "project": "it-bad-ok", "file": {"version": "1.0", "type": "sdist"}}
                    {"timestamp": "2019-07-01 10:00:00 UTC", "file": {"version": "1.0", "type": "sdist"}}
                    """);
            case "CORRUPT" -> {
                byte[] parquet = http.runForBytes(ClickHouseHttp.Statement.of(valid + " FORMAT Parquet"));
                Files.write(file, Arrays.copyOf(parquet, parquet.length / 2));
            }
            case "NOROWS" -> ExportFiles.write(http, valid.replace("FROM numbers(50)", "FROM numbers(0)"), "Parquet", file);
            case "IGNORED" -> Files.writeString(file, "a,b\n1,2\n");
            default -> {
                if (content.startsWith("SELECT")) {
                    ExportFiles.write(http, content, "Parquet", file);
                } else {
                    Files.writeString(file, content + "\n");
                }
            }
        }

        assertThatThrownBy(() -> ingest.load(source(file), QUIET))
                .isInstanceOf(IngestException.class).hasMessageContaining(message);

        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(count("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'ingest_stage_')"))
                .isZero();
    }

    @Test
    void anHttpUrlIsFetchedByClickHouseAndAMissingOneFailsCleanly() throws IOException {
        ExportFiles.write(http, ExportFiles.select("it-url-", "2019-08-01", 700), "Parquet", dir.resolve("served.parquet"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
            if (Files.isRegularFile(file)) {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Ingest.Outcome outcome = ingest.load(Source.expand(List.of(base + "served.parquet"), null).getFirst(), QUIET);
            assertThat(outcome.loaded()).isTrue();
            assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-url-')")).isEqualTo(700);

            Map<String, Long> before = WarehouseTruth.totals(clickHouse);
            assertThatThrownBy(() -> ingest.load(Source.expand(List.of(base + "absent.parquet"), null).getFirst(), QUIET))
                    .isInstanceOf(IngestException.class).hasMessageContaining("Cannot read " + base + "absent.parquet");
            assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        } finally {
            server.stop(0);
        }
    }

    /**
     * The transform maps PyPI's own linehaul fixtures: the events of linehaul-download-events.yml (the
     * BigQuery rows linehaul made of them, details nested) and the raw CDN log lines (details as JSON,
     * loaded in the flattened staging shape), compared with the pypi rows worked out here field by field.
     */
    @Test
    void linehaulEventsBecomeTheExpectedPypiRows() throws IOException {
        List<Map<String, Object>> exports = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        String yaml = new String(getClass().getResourceAsStream("/linehaul/linehaul-download-events.yml").readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("!!python/name:builtins\\.\\w+ ''", "error");
        List<Map<String, Object>> events = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        for (Map<String, Object> event : events) {
            if (!(event.get("result") instanceof Map<?, ?> result)) {
                continue; // linehaul rejected or ignored the event: no row
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> row = new LinkedHashMap<>((Map<String, Object>) result);
            exports.add(row);
            expected.add(expectedRow("2018-07-20", row, asMap(row.get("details"))));
        }
        try (InputStream log = new GZIPInputStream(getClass().getResourceAsStream("/linehaul/linehaul-cdn-downloads-2021-01-07.log.gz"))) {
            for (String line : new String(log.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\\|", 10);
                int json = fields[9].indexOf('{');
                if (json < 0) {
                    continue; // "(null)" user agent: linehaul ignores the download
                }
                Map<String, Object> details = asMap(JsonMapper.builder().build().readValue(fields[9].substring(json), Map.class));
                Map<String, Object> row = new LinkedHashMap<>(details);  // flattened shape: client fields at top level
                row.put("timestamp", fields[1]);
                row.put("country_code", fields[2]);
                row.put("url", fields[3]);
                row.put("tls_protocol", fields[4]);
                row.put("tls_cipher", fields[5]);
                row.put("project", fields[6]);
                row.put("file", Map.of("filename", fields[3].substring(fields[3].lastIndexOf('/') + 1), "project", fields[6],
                        "version", fields[7], "type", fields[8]));
                exports.add(row);
                expected.add(expectedRow("2021-01-07", row, details));
            }
        }
        assertThat(expected).hasSize(7);
        Path file = dir.resolve("linehaul.ndjson");
        StringBuilder ndjson = new StringBuilder();
        for (Map<String, Object> row : exports) {
            ndjson.append(JsonMapper.builder().build().writeValueAsString(row)).append('\n');
        }
        Files.writeString(file, ndjson);

        assertThat(ingest.load(source(file), QUIET).rows()).isEqualTo(7);

        List<String> actual = clickHouse.query(Sql.of("""
                        SELECT concat_ws('|', toString(date), country_code, project, type, installer, python_minor, system, version,
                                         toString(ci), filename, libc.1, libc.2) AS row
                        FROM pypi
                        WHERE (date = '2018-07-20' AND project = 'cfn-flip')
                           OR (date = '2021-01-07' AND project IN ('threadpoolctl', 'django-crum', 'enum34'))"""),
                r -> r.getString("row")).collectList().block();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The pypi row a linehaul row must become, worked out independently of the SQL transform. */
    private static String expectedRow(String date, Map<String, Object> row, Map<String, Object> details) {
        Map<String, Object> file = asMap(row.get("file"));
        String python = text(details.get("python"));
        Matcher minor = Pattern.compile("^(\\d+\\.\\d+)").matcher(python);
        Object ci = details.get("ci");
        Map<String, Object> libc = asMap(asMap(details.get("distro")).get("libc"));
        return String.join("|", date, text(row.get("country_code")), text(row.get("project")), text(file.get("type")),
                text(asMap(details.get("installer")).get("name")), minor.find() ? minor.group(1) : "",
                text(asMap(details.get("system")).get("name")), text(file.get("version")),
                ci == null ? "unknown" : ci.toString(), text(file.get("filename")), text(libc.get("lib")), text(libc.get("version")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
