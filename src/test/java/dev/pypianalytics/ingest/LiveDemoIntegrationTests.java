package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.ClickHouseBackendCondition;
import dev.pypianalytics.support.TestWarehouse;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live demo end to end, on a gateway and engine of its own (the shared suite keeps it off): the demo data
 * set ends three days ago, the generator writes the two whole days since and then today's downloads as time
 * passes, and the demo's follower loads them. What the files hold (read here as the JSON they are) is what
 * {@code pypi} holds for those days, the API's {@code stats} moves with it, and every aggregate still equals a
 * recomputation from {@code pypi}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
@DirtiesContext
class LiveDemoIntegrationTests {

    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    static final LocalDate DEMO_LAST_DAY = TODAY.minusDays(3);
    static final Path FOLDER = TestWarehouse.newDirectory("live-demo-exports");

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry, TestWarehouse.newDirectory("live-demo"));
        registry.add("pypi.demo.rows", () -> 30_000);
        registry.add("pypi.demo.days", () -> 60);
        registry.add("pypi.demo.last-day", DEMO_LAST_DAY::toString);
        registry.add("pypi.demo.live", () -> true);
        registry.add("pypi.demo.live-interval", () -> "300ms");
        registry.add("pypi.demo.live-directory", FOLDER::toString);
        registry.add("pypi.follow.lease-settle", () -> "20ms");
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    LiveDemoInGateway live;

    @Test
    void generatedFilesArriveInTheWarehouseAndTheApi() throws Exception {
        LocalDate first = DEMO_LAST_DAY.plusDays(1);
        LocalDate second = DEMO_LAST_DAY.plusDays(2);
        Path firstFile = FOLDER.resolve(wholeDay(first));
        Path secondFile = FOLDER.resolve(wholeDay(second));
        // Both past days as whole-day files, loaded by the demo's follower.
        await(() -> loaded(firstFile) && loaded(secondFile), Duration.ofSeconds(120));

        // What the files hold, read as the JSON lines they are, per day and project: exactly what pypi holds.
        Map<String, Long> inFiles = new TreeMap<>();
        for (Path file : List.of(firstFile, secondFile)) {
            for (JsonNode row : rows(file)) {
                // The BigQuery export's shape: the client fields nested in details, the file record, a timestamp.
                assertThat(row.has("details") && row.get("details").has("installer") && row.has("file") && row.has("timestamp")).isTrue();
                inFiles.merge(row.get("timestamp").asString().substring(0, 10) + " " + row.get("project").asString(), 1L, Long::sum);
            }
        }
        Map<String, Long> inPypi = new TreeMap<>();
        clickHouse.query(Sql.of("SELECT toString(date) AS d, project, count() AS n FROM pypi WHERE date IN ({first:Date}, {second:Date}) "
                                + "GROUP BY d, project").bind("first", first).bind("second", second),
                row -> Map.entry(row.getString("d") + " " + row.getString("project"), row.getLong("n")))
                .toStream().forEach(entry -> inPypi.put(entry.getKey(), entry.getValue()));
        assertThat(inFiles).isNotEmpty();
        assertThat(inPypi).isEqualTo(inFiles);
        // Each day is about the demo's last days (its weekday a week before, grown a little), not a trickle.
        long dayBefore = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '" + first.minusDays(7) + "'");
        long firstDay = inFiles.entrySet().stream().filter(e -> e.getKey().startsWith(first.toString())).mapToLong(Map.Entry::getValue).sum();
        assertThat(firstDay).isBetween(dayBefore, Math.round(dayBefore * 1.05) + 1);

        // Today's downloads follow as time passes; then the generator stops writing, the follower loads what was
        // written (a stop would cancel a load in progress: resumed at the next start, its day SUSPECT meanwhile),
        // and the API answers what pypi holds.
        await(() -> anyLoaded(TODAY) || !TODAY.equals(LocalDate.now(ZoneOffset.UTC)),
                Duration.ofSeconds(120));
        live.stopWriting();
        await(() -> allFilesSettled(), Duration.ofSeconds(120));
        live.stop();
        long todayInLoadedFiles = 0;
        for (Path file : filesOf(TODAY)) {
            if (loaded(file)) {
                todayInLoadedFiles += rows(file).size();
            }
        }
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE date = '" + TODAY + "'"))
                .isEqualTo(todayInLoadedFiles).isPositive();

        JsonNode stats = stats();
        assertThat(stats.get("lastDay").asString()).isEqualTo(clickHouse.queryOne(Sql.of("SELECT toString(max(date)) AS d FROM pypi"),
                row -> row.getString("d")).block()).isEqualTo(TODAY.toString());
        assertThat(stats.get("totalDownloads").asLong()).isEqualTo(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi"));
        // The whole past days are complete by the ledger.
        assertThat(stats.get("lastCompleteDay").asString()).isGreaterThanOrEqualTo(second.toString());
        assertThat(stats.get("gaps").toString()).doesNotContain(first.toString(), second.toString());
        assertThat(WarehouseTruth.mismatches(clickHouse)).isEmpty();
    }

    private JsonNode stats() {
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
        byte[] body = web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\":\"{ stats { lastDay lastCompleteDay totalDownloads gaps { date status } } }\"}")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body).get("data").get("stats");
    }

    private boolean anyLoaded(LocalDate day) {
        try {
            return filesOf(day).stream().anyMatch(this::loaded);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every file now in the folder has the follower's record (loaded, duplicate or quarantined): nothing left to load. */
    private boolean allFilesSettled() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            List<String> written = files.filter(f -> f.getFileName().toString().startsWith(LiveDemo.PREFIX))
                    .map(f -> f.toAbsolutePath().normalize().toString()).toList();
            Long recorded = clickHouse.queryOne(Sql.of("SELECT count(DISTINCT source) AS n FROM ingest_follow_files FINAL "
                    + "WHERE source IN {written:Array(String)}").bind("written", written), row -> row.getLong("n")).block();
            return !written.isEmpty() && recorded != null && recorded == written.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean loaded(Path file) {
        return WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_files FINAL WHERE status = 'loaded' AND source = '"
                + file.toAbsolutePath().normalize().toString().replace("'", "\\'") + "'") > 0;
    }

    private static String wholeDay(LocalDate day) {
        return LiveDemo.PREFIX + day.toString().replace("-", "") + "T000000Z-" + day.plusDays(1).toString().replace("-", "") + "T000000Z.json.gz";
    }

    private static List<Path> filesOf(LocalDate day) throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(f -> f.getFileName().toString().startsWith(LiveDemo.PREFIX + day.toString().replace("-", ""))).sorted().toList();
        }
    }

    private static List<JsonNode> rows(Path file) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).map(JSON::readTree).toList();
        }
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", limit).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
