package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.Lease;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Following an http(s) source on the real engine, with the files served by an HTTP server in this JVM: a manifest
 * growing one file at a time, a URL whose ETag changes, transient 404/500 answers, a broken file, a date template.
 * The manifest URL carries credentials (the server insists on them) and a token; neither may show anywhere.
 * Expected rows are what the test served; every aggregate is compared with a recomputation from pypi.
 */
class HttpSourceIntegrationTests extends IntegrationTest {

    static final AtomicLong RUN = new AtomicLong(System.nanoTime());
    static final String USER = "reader";
    static final String PASSWORD = "s3cret-pw";
    static final String TOKEN = "tok-9f8e7d";

    @Autowired
    ClickHouse clickHouse;

    HttpServer server;
    String leaseName;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final Map<String, Served> files = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    volatile String manifest = "";
    volatile boolean unauthorized;
    final AtomicInteger manifestFailures = new AtomicInteger();

    /** A file the server holds: its bytes, its ETag, and statuses to answer first (one per request) before the file. */
    record Served(byte[] bytes, String etag, Deque<Integer> failFirst) {

        Served(byte[] bytes, String etag) {
            this(bytes, etag, new ArrayDeque<>());
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        leaseName = "it-follow-http-" + RUN.incrementAndGet();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        String said = log.toString(StandardCharsets.UTF_8);
        assertThat(said).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        assertThat(unauthorized).as("every request carried the manifest URL's credentials").isFalse();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized = true;
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (path.equals("/exports/manifest") && manifestFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            if (path.equals("/exports/manifest")) {
                byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            Served served = files.get(path);
            if (served == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!head) {
                gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            Integer failure = served.failFirst().poll();
            if (failure != null) {
                exchange.sendResponseHeaders(failure, -1);
                return;
            }
            exchange.getResponseHeaders().set("ETag", served.etag());
            exchange.getResponseHeaders().set("Last-Modified", "Wed, 01 Jan 2014 10:00:00 GMT");
            if (head) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(served.bytes().length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, served.bytes().length);
            exchange.getResponseBody().write(served.bytes());
        }
    }

    String base() {
        return "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.getAddress().getPort();
    }

    String manifestUrl() {
        return base() + "/exports/manifest?token=" + TOKEN;
    }

    /** A file of {@code rows} downloads over two days from {@code day}, served at {@code path}. */
    byte[] serveExport(String path, String prefix, String day, int rows, String etag) {
        byte[] bytes = ExportFiles.bytes(clickHouse, ExportFiles.select(prefix, day, rows), "Parquet");
        files.put(path, new Served(bytes, etag));
        return bytes;
    }

    FollowProperties settings(String template, String manifestUrl, LocalDate from) {
        return new FollowProperties(null, Duration.ofMillis(20), Duration.ZERO, Duration.ofMinutes(5), Duration.ofMillis(20),
                Duration.ofMillis(300), Duration.ofMillis(600), 3, template, manifestUrl, from, Duration.ofSeconds(20),
                FollowProperties.ObjectStorageQueue.OFF);
    }

    record Follower(DirectoryFollower follower, Lease lease, SimpleMeterRegistry meters) {
    }

    Follower leading(FollowProperties settings) {
        Lease lease = new Lease(clickHouse, leaseName, settings.leaseDuration(), settings.leaseSettle());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DirectoryFollower follower = new DirectoryFollower(clickHouse, settings, FollowSource.of(settings, Clock.systemUTC()), lease,
                new FollowMetrics(meters, Clock.systemUTC()), Progress.to(new PrintStream(log, true, StandardCharsets.UTF_8), false),
                Clock.systemUTC());
        assertThat(lease.acquireOrRenew()).isTrue();
        return new Follower(follower, lease, meters);
    }

    String shown(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    long downloads(String prefix) {
        return WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE startsWith(project, '" + prefix + "')");
    }

    String column(String column, String path) {
        return clickHouse.queryOne(Sql.of("SELECT toString(" + column + ") AS v FROM ingest_follow_files FINAL WHERE source = {source:String}")
                .bind("source", shown(path)), row -> row.getString("v")).block();
    }

    /** Everything the warehouse recorded about http sources: no credentials may be in it. */
    List<String> recordedSources() {
        List<String> sources = new ArrayList<>();
        sources.addAll(clickHouse.query(Sql.of("SELECT concat(source, ' ', reason) AS s FROM ingest_follow_files WHERE startsWith(source, 'http')"),
                row -> row.getString("s")).collectList().block());
        sources.addAll(clickHouse.query(Sql.of("SELECT source AS s FROM ingest_files WHERE startsWith(source, 'http')"),
                row -> row.getString("s")).collectList().block());
        return sources;
    }

    @Test
    void filesAppearingInTheManifestOneByOneAreEachLoadedOnceInOrder() {
        Follower following = leading(settings(null, manifestUrl(), null));
        DirectoryFollower follower = following.follower();
        byte[] first = serveExport("/exports/2014-01-01.parquet", "it-http-one-", "2014-01-01", 300, "\"a1\"");
        manifest = "# the day's exports\n2014-01-01.parquet " + first.length + " \"a1\"\n";

        DirectoryFollower.Round one = follower.round();
        assertThat(one.loaded()).isEqualTo(1);
        assertThat(downloads("it-http-one-")).isEqualTo(300);

        // Absolute URLs on the same host keep the manifest's credentials; a file listed without size or ETag is known by URL.
        serveExport("/exports/2014-01-03.parquet", "it-http-one-", "2014-01-03", 400, "\"b1\"");
        manifest += shown("/exports/2014-01-03.parquet") + "\n";
        DirectoryFollower.Round two = follower.round();
        assertThat(two.loaded()).isEqualTo(1);
        assertThat(two.rowsAdded()).isEqualTo(400);
        assertThat(follower.round()).isEqualTo(new DirectoryFollower.Round(0, 0, 0, 0, 0, false, false));

        assertThat(downloads("it-http-one-")).isEqualTo(700);
        assertThat(gets.get("/exports/2014-01-01.parquet").get()).isEqualTo(1);
        assertThat(gets.get("/exports/2014-01-03.parquet").get()).isEqualTo(1);
        assertThat(column("status", "/exports/2014-01-01.parquet")).isEqualTo("loaded");
        assertThat(column("etag", "/exports/2014-01-01.parquet")).isEqualTo("\"a1\"");
        assertThat(column("status", "/exports/2014-01-03.parquet")).isEqualTo("loaded");
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-http-", 2014)).isEmpty();
        assertThat(following.meters().get("pypi.ingest.rows").counter().count()).isEqualTo(700);
        assertThat(recordedSources()).isNotEmpty().noneMatch(text -> text.contains(PASSWORD) || text.contains(TOKEN) || text.contains(USER + ":"));

        // A restarted follower recognises both from its records: nothing fetched, nothing added.
        following.lease().release();
        Follower restarted = leading(settings(null, manifestUrl(), null));
        assertThat(restarted.follower().round()).isEqualTo(new DirectoryFollower.Round(0, 0, 0, 0, 0, false, false));
        assertThat(gets.get("/exports/2014-01-01.parquet").get()).isEqualTo(1);
        assertThat(downloads("it-http-one-")).isEqualTo(700);
        restarted.lease().release();
    }

    /** As with a folder (same name, new content): the ledger refuses it, the follower quarantines it with the repair hint. */
    @Test
    void aUrlWhoseEtagChangesIsQuarantinedNotCountedAgain() {
        Follower following = leading(settings(null, manifestUrl(), null));
        DirectoryFollower follower = following.follower();
        serveExport("/exports/2014-02-01.parquet", "it-http-etag-", "2014-02-01", 300, "\"v1\"");
        manifest = "{\"files\": [{\"url\": \"2014-02-01.parquet\", \"etag\": \"\\\"v1\\\"\"}]}";
        assertThat(follower.round().loaded()).isEqualTo(1);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        serveExport("/exports/2014-02-01.parquet", "it-http-etag-", "2014-02-01", 305, "\"v2\"");
        manifest = "[{\"url\": \"2014-02-01.parquet\", \"etag\": \"\\\"v2\\\"\"}]";
        DirectoryFollower.Round round = follower.round();

        assertThat(round.quarantined()).isEqualTo(1);
        assertThat(column("status", "/exports/2014-02-01.parquet")).isEqualTo("quarantined");
        assertThat(column("reason", "/exports/2014-02-01.parquet")).contains("loaded before with different content").contains("repair-day");
        assertThat(column("etag", "/exports/2014-02-01.parquet")).isEqualTo("\"v2\"");
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(downloads("it-http-etag-")).isEqualTo(300);
        // Quarantined under its new ETag, it is not fetched again while the manifest says the same.
        int fetched = gets.get("/exports/2014-02-01.parquet").get();
        assertThat(follower.round().quarantined()).isZero();
        assertThat(gets.get("/exports/2014-02-01.parquet").get()).isEqualTo(fetched);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-http-", 2014)).isEmpty();
        following.lease().release();
    }

    @Test
    void transientNotFoundAndServerErrorsAreRetriedWithBackoffAndNothingIsSkipped() throws InterruptedException {
        Follower following = leading(settings(null, manifestUrl(), null));
        DirectoryFollower follower = following.follower();
        serveExport("/exports/2014-03-01.parquet", "it-http-retry-", "2014-03-01", 250, "\"r1\"");
        serveExport("/exports/2014-03-03.parquet", "it-http-retry-", "2014-03-03", 150, "\"r2\"");
        // Server errors are an outage (waited for, not counted); a 404 counts as one of the 3 attempts.
        files.get("/exports/2014-03-01.parquet").failFirst().addAll(List.of(500, 404, 503));
        manifest = "2014-03-01.parquet\n2014-03-03.parquet\n";
        // A manifest that cannot be read pauses the round; the error names it without its credentials or token.
        manifestFailures.set(1);
        assertThatThrownBy(follower::round).isInstanceOf(FollowSource.Unavailable.class)
                .hasMessageContaining("HTTP 502").hasMessageContaining(shown("/exports/manifest"))
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining(TOKEN);

        DirectoryFollower.Round first = follower.round();
        assertThat(first.retrying()).isTrue();
        assertThat(first.loaded()).isZero();
        assertThat(first.pending()).isEqualTo(2);
        assertThat(downloads("it-http-retry-")).as("the second file waits for the first").isZero();
        // Right away: still backing off, nothing asked.
        assertThat(follower.round().retrying()).isTrue();
        assertThat(gets.get("/exports/2014-03-01.parquet").get()).isEqualTo(1);

        int loaded = 0;
        long deadline = System.currentTimeMillis() + 20_000;
        while (loaded < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(60);
            DirectoryFollower.Round round = follower.round();
            assertThat(round.quarantined()).isZero();
            loaded += round.loaded();
        }
        assertThat(loaded).isEqualTo(2);
        assertThat(gets.get("/exports/2014-03-01.parquet").get()).isEqualTo(4);
        assertThat(gets.get("/exports/2014-03-03.parquet").get()).isEqualTo(1);
        assertThat(downloads("it-http-retry-")).isEqualTo(400);
        // In order: the first file's ledger entry is older than the second's.
        List<String> order = clickHouse.query(Sql.of("""
                        SELECT source FROM ingest_files FINAL WHERE source IN {sources:Array(String)} AND status = 'loaded' ORDER BY updated_at"""
                ).bind("sources", List.of(shown("/exports/2014-03-01.parquet"), shown("/exports/2014-03-03.parquet"))),
                row -> row.getString("source")).collectList().block();
        assertThat(order).containsExactly(shown("/exports/2014-03-01.parquet"), shown("/exports/2014-03-03.parquet"));
        assertThat(following.meters().get("pypi.ingest.files").tag("outcome", "failed").counter().count()).isEqualTo(3);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("HTTP 503").contains("HTTP 404").contains("127.0.0.1");
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-http-", 2014)).isEmpty();
        following.lease().release();
    }

    @Test
    void aBrokenFileIsQuarantinedAndTheNextOneLoads() {
        Follower following = leading(settings(null, manifestUrl(), null));
        DirectoryFollower follower = following.follower();
        byte[] whole = serveExport("/exports/2014-04-01.parquet", "it-http-broken-", "2014-04-01", 300, "\"x1\"");
        files.put("/exports/2014-04-01.parquet", new Served(java.util.Arrays.copyOf(whole, whole.length / 2), "\"x1\""));
        serveExport("/exports/2014-04-03.parquet", "it-http-next-", "2014-04-03", 200, "\"y1\"");
        manifest = "2014-04-01.parquet\n2014-04-03.parquet\n";
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        DirectoryFollower.Round round = follower.round();

        assertThat(round.quarantined()).isEqualTo(1);
        assertThat(round.loaded()).isEqualTo(1);
        assertThat(column("status", "/exports/2014-04-01.parquet")).isEqualTo("quarantined");
        assertThat(column("reason", "/exports/2014-04-01.parquet")).contains("Cannot read").contains(shown("/exports/2014-04-01.parquet"))
                .doesNotContain("pypi-follow-");
        assertThat(downloads("it-http-broken-")).isZero();
        assertThat(downloads("it-http-next-")).isEqualTo(200);
        assertThat(WarehouseTruth.totals(clickHouse).get("pypi")).isEqualTo(before.get("pypi") + 200);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-http-", 2014)).isEmpty();
        following.lease().release();
    }

    /** Template probe rule: each day from {@code from} to today, n = 0, 1, ... by HEAD until the first 404. */
    @Test
    void aDateTemplateIsProbedDayByDayUntilTheFirstMissingIndex() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        String template = base() + "/t/pypi-{date:yyyyMMdd}-{n:3}.parquet?sig=" + TOKEN;
        serveExport("/t/pypi-" + yesterday.toString().replace("-", "") + "-000.parquet", "it-http-tpl-", "2014-05-01", 120, "\"t0\"");
        serveExport("/t/pypi-" + yesterday.toString().replace("-", "") + "-001.parquet", "it-http-tpl-", "2014-05-03", 80, "\"t1\"");
        // Index 002 is missing, so 003 is never reached on that day.
        serveExport("/t/pypi-" + yesterday.toString().replace("-", "") + "-003.parquet", "it-http-tpl-", "2014-05-05", 999, "\"t3\"");
        Follower following = leading(settings(template, null, yesterday));
        DirectoryFollower follower = following.follower();

        assertThat(follower.round().loaded()).isEqualTo(2);
        assertThat(downloads("it-http-tpl-")).isEqualTo(200);

        String todays = "/t/pypi-" + today.toString().replace("-", "") + "-000.parquet";
        serveExport(todays, "it-http-tpl-", "2014-05-07", 60, "\"t4\"");
        DirectoryFollower.Round round = follower.round();
        assertThat(round.loaded()).isEqualTo(1);
        assertThat(follower.round().loaded()).isZero();
        assertThat(downloads("it-http-tpl-")).isEqualTo(260);
        assertThat(gets.get(todays).get()).isEqualTo(1);
        assertThat(gets).doesNotContainKey("/t/pypi-" + yesterday.toString().replace("-", "") + "-003.parquet");
        assertThat(recordedSources()).noneMatch(text -> text.contains(TOKEN) || text.contains(PASSWORD));
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-http-", 2014)).isEmpty();
        following.lease().release();
    }
}
