package dev.pypianalytics.ingest;

import tools.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.downloads.WarehouseStats;
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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
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
    WarehouseStats stats;

    @TempDir
    Path dir;

    Ingest ingest;

    @BeforeEach
    void loader() {
        ingest = new Ingest(clickHouse);
    }

    Source source(Path file) {
        return Source.expand(List.of(file.toString()), null).getFirst();
    }

    long count(String sql) {
        return WarehouseTruth.count(clickHouse, sql);
    }

    @Test
    void aLoadedExportReachesPypiAndEveryAggregate() {
        Path parquet = ExportFiles.write(clickHouse, ExportFiles.select("it-load-", "2019-05-01", 5000), "Parquet", dir.resolve("load.parquet"));

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
        Path parquet = ExportFiles.write(clickHouse, rows, "Parquet", dir.resolve("again.parquet"));
        Path ndjson = ExportFiles.write(clickHouse, rows, "JSONEachRow", dir.resolve("again.ndjson"));
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
        ExportFiles.write(clickHouse, ExportFiles.select("it-changed-", "2019-05-20", 100), "Parquet", file);
        ingest.load(source(file), QUIET);
        ExportFiles.write(clickHouse, ExportFiles.select("it-changed-", "2019-05-20", 150), "Parquet", file);
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
                byte[] parquet = ExportFiles.bytes(clickHouse, valid, "Parquet");
                Files.write(file, Arrays.copyOf(parquet, parquet.length / 2));
            }
            case "NOROWS" -> ExportFiles.write(clickHouse, valid.replace("FROM numbers(50)", "FROM numbers(0)"), "Parquet", file);
            case "IGNORED" -> Files.writeString(file, "a,b\n1,2\n");
            default -> {
                if (content.startsWith("SELECT")) {
                    ExportFiles.write(clickHouse, content, "Parquet", file);
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
        ExportFiles.write(clickHouse, ExportFiles.select("it-url-", "2019-08-01", 700), "Parquet", dir.resolve("served.parquet"));
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

    long pypiRows(String day) {
        return count("SELECT count() AS n FROM pypi WHERE date = '" + day + "'");
    }

    /** A day's export, and the same day re-exported under a new name with five late rows. */
    record Overlap(Path first, Path rerun, String rerunRows) {
    }

    Overlap overlap(String prefix, String day, int rows) {
        String rerunRows = ExportFiles.select(prefix, day, rows) + " UNION ALL " + ExportFiles.select(prefix + "late-", day, 5);
        return new Overlap(ExportFiles.write(clickHouse, ExportFiles.select(prefix, day, rows), "Parquet", dir.resolve(day + ".parquet")),
                ExportFiles.write(clickHouse, rerunRows, "Parquet", dir.resolve(day + "-rerun.parquet")), rerunRows);
    }

    long rowsOf(String select, String day) {
        return count("SELECT count() AS n FROM (" + select + ") WHERE toDate(timestamp) = '" + day + "'");
    }

    @Test
    void shardsOfOneExportHoldTheirDaysTogetherButAnotherExportOfTheSameDayOverlaps() {
        // BigQuery writes a day's export as numbered shards: each holds part of the same days, and none is a re-export.
        String firstShard = ExportFiles.select("it-shard-a-", "2019-07-01", 800);
        String secondShard = ExportFiles.select("it-shard-b-", "2019-07-01", 600);
        Path shard0 = ExportFiles.write(clickHouse, firstShard, "Parquet", dir.resolve("pypi-2019-07-01-000000000000.parquet"));
        Path shard1 = ExportFiles.write(clickHouse, secondShard, "Parquet", dir.resolve("pypi-2019-07-01-000000000001.parquet"));
        long before = pypiRows("2019-07-01");
        ingest.load(source(shard0), QUIET);
        ingest.load(source(shard1), QUIET);
        assertThat(pypiRows("2019-07-01")).isEqualTo(before + rowsOf(firstShard, "2019-07-01") + rowsOf(secondShard, "2019-07-01"));
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();

        // The same day from another export (another name): an overlap, refused, naming both shards.
        // (Not the same rows as a shard: those would be recognised by their fingerprint and skipped.)
        Path reExport = ExportFiles.write(clickHouse, firstShard + " UNION ALL " + ExportFiles.select("it-shard-late-", "2019-07-01", 5),
                "Parquet", dir.resolve("pypi-2019-07-01-rerun-000000000000.parquet"));
        long loaded = pypiRows("2019-07-01");
        assertThatThrownBy(() -> ingest.load(source(reExport), QUIET)).isInstanceOf(OverlappingDaysException.class)
                .hasMessageContaining(shard0.toString()).hasMessageContaining(shard1.toString());
        assertThat(pypiRows("2019-07-01")).isEqualTo(loaded);
    }

    @Test
    void anOverlappingReExportUnderANewNameIsRefusedWithTheRepairCommandAndNothingCounted() {
        Overlap files = overlap("it-overlap-", "2019-06-01", 2000);
        ingest.load(source(files.first()), QUIET);
        long first = pypiRows("2019-06-01");
        long second = pypiRows("2019-06-02");
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        assertThatThrownBy(() -> ingest.load(source(files.rerun()), QUIET))
                .isInstanceOf(OverlappingDaysException.class)
                .hasMessageContaining("2019-06-01").hasMessageContaining(files.first().toString())
                .hasMessageContaining("repair-day --date 2019-06-01 " + files.rerun())
                .hasMessageContaining("repair-day --date 2019-06-02 " + files.rerun())
                .hasMessageContaining("pypi.ingest.overlap=REPLACE");

        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(pypiRows("2019-06-01")).isEqualTo(first);
        assertThat(pypiRows("2019-06-02")).isEqualTo(second);
        // Without a source, reconcile trusts the ledger: it must still add up to pypi.
        List<Reconcile.Row> rows = new Reconcile(clickHouse).run(List.of(), null, LocalDate.parse("2019-06-01"),
                LocalDate.parse("2019-06-02"), QUIET);
        assertThat(rows).extracting(Reconcile.Row::status).containsOnly("complete");
    }

    @Test
    void withTheReplaceRuleAnOverlappingReExportReplacesItsDaysThroughRepairDay() {
        Overlap files = overlap("it-replace-", "2019-06-05", 1500);
        ingest.load(source(files.first()), QUIET);

        Ingest.Outcome outcome = new Ingest(clickHouse, IngestProperties.Overlap.REPLACE).load(source(files.rerun()), QUIET);

        assertThat(outcome.loaded()).isTrue();
        assertThat(outcome.message()).contains("repair-day");
        assertThat(pypiRows("2019-06-05")).isEqualTo(rowsOf(files.rerunRows(), "2019-06-05"));
        assertThat(pypiRows("2019-06-06")).isEqualTo(rowsOf(files.rerunRows(), "2019-06-06"));
        assertThat(count("SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-replace-late-')")).isEqualTo(5);
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
        List<Reconcile.Row> rows = new Reconcile(clickHouse).run(List.of(source(files.rerun())), null, null, null, QUIET);
        assertThat(rows).extracting(Reconcile.Row::status).containsOnly("complete");
    }

    @Test
    void anUnchangedFileLoadedBeforeIsRecognisedWithoutReadingItAndAChangedOneIsNot() throws IOException {
        Path file = ExportFiles.write(clickHouse, ExportFiles.select("it-seen-", "2019-06-20", 800), "Parquet", dir.resolve("seen.parquet"));
        assertThat(ingest.load(source(file), QUIET).loaded()).isTrue();
        byte[] original = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        // Same size and time, unreadable content: recognised from the metadata alone, so it was not read.
        Files.write(file, new byte[original.length]);
        Files.setLastModifiedTime(file, modified);
        Ingest.Outcome again = ingest.load(source(file), QUIET);
        assertThat(again.loaded()).isFalse();
        assertThat(again.message()).contains("already loaded").contains("not read");
        assertThat(again.rows()).isEqualTo(800);

        // A change of time is a changed file: read in full (and here refused as broken).
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified.toMillis() + 1000));
        assertThatThrownBy(() -> ingest.load(source(file), QUIET)).isInstanceOf(IngestException.class).hasMessageContaining("Cannot read");
        // The real content back under a new time: read, hashed and recognised by its rows.
        Files.write(file, original);
        Ingest.Outcome reread = ingest.load(source(file), QUIET);
        assertThat(reread.loaded()).isFalse();
        assertThat(reread.message()).contains("already loaded").doesNotContain("not read");
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
    }

    @Test
    void daysOfAPublishThatNeverFinishedAreSuspectAtOnce() {
        Path file = ExportFiles.write(clickHouse, ExportFiles.select("it-suspect-", "2019-06-10", 1200), "Parquet", dir.resolve("suspect.parquet"));
        ingest.load(source(file), QUIET);
        // What a load killed after the engine finished its INSERT leaves: the rows counted, the ledger still 'publishing'.
        String ledgerAs = "INSERT INTO ingest_files SELECT * REPLACE ('%s' AS status, now64(3) AS updated_at, '%s' AS stage) "
                + "FROM ingest_files FINAL WHERE source = '" + file + "'";
        clickHouse.execute(Sql.of(ledgerAs.formatted("publishing", "ingest_stage_00dead00"))).block();
        try {
            List<WarehouseStats.Gap> suspect = suspectGaps("2019-06-10", "2019-06-11");
            assertThat(suspect).extracting(gap -> gap.date().toString()).containsExactly("2019-06-11", "2019-06-10");
            for (WarehouseStats.Gap gap : suspect) {
                long inPypi = pypiRows(gap.date().toString());
                assertThat(gap.recorded()).isEqualTo(inPypi);
                assertThat(gap.expected()).isEqualTo(inPypi);
            }

            assertThat(suspectGaps("2019-06-10", "2019-06-11")).hasSize(2);
        } finally {
            clickHouse.execute(Sql.of(ledgerAs.formatted("loaded", "ingest_stage_00dead00"))).block();
        }
        assertThat(stats.gaps().block()).extracting(WarehouseStats.Gap::status).doesNotContain("SUSPECT");
    }

    /** The SUSPECT gaps among the given days (the API's cache may answer from the version before for a few seconds). */
    List<WarehouseStats.Gap> suspectGaps(String... days) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            List<WarehouseStats.Gap> gaps = stats.gaps().block().stream()
                    .filter(gap -> List.of(days).contains(gap.date().toString()) && gap.status().equals("SUSPECT")).toList();
            if (gaps.size() == days.length || System.nanoTime() > deadline) {
                return gaps;
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void leftoverWorkingTablesAreSweptButNotOnesInUse() throws IOException {
        String dead = "ingest_stage_00dead01";
        String named = "ingest_stage_00a11ce1";
        String fresh = "ingest_stage_00f4e5a1";
        for (String table : List.of(dead, named)) {
            clickHouse.execute(Sql.of(ExportShape.stageTable(table))).block();
        }
        Path file = ExportFiles.write(clickHouse, ExportFiles.select("it-sweep-", "2019-06-25", 50), "Parquet", dir.resolve("sweep.parquet"));
        try (Stage open = Stage.read(clickHouse, source(file), null, QUIET)) {
            List<String> dropped = Stage.sweep(clickHouse, Duration.ZERO);

            assertThat(dropped).contains(dead, named).doesNotContain(open.table());
            assertThat(tables()).doesNotContain(dead).contains(open.table());
            // Not idle long enough: a load of another process may be between two statements on it.
            clickHouse.execute(Sql.of(ExportShape.stageTable(fresh))).block();
            assertThat(Stage.sweep(clickHouse, Duration.ofHours(1))).doesNotContain(fresh);
            assertThat(tables()).contains(fresh);
        }
        assertThat(Stage.sweep(clickHouse, Duration.ZERO)).contains(fresh);
        assertThat(tables()).isEmpty();
    }

    List<String> tables() {
        return clickHouse.query(Sql.of("SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'ingest_stage_')"),
                row -> row.getString("name")).collectList().block();
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
