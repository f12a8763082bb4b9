package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.Lease;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseEndpoint;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Following a folder on the real engine: files arriving one by one, written slowly, duplicated, broken,
 * a restart, a warehouse that cannot be reached, and two followers on one warehouse. Expected rows are
 * what the test wrote; every aggregate is compared with a recomputation from pypi.
 */
class DirectoryFollowerIntegrationTests extends IntegrationTest {

    static final Progress QUIET = Progress.to(new PrintStream(OutputStream.nullOutputStream()), false);
    static final AtomicLong RUN = new AtomicLong(System.nanoTime());

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    ClickHouseEndpoint endpoint;

    @TempDir
    Path dir;

    /** Each test competes for its own lease, so the tests never wait for each other's. */
    String leaseName;

    @BeforeEach
    void setUp() {
        leaseName = "it-follow-" + RUN.incrementAndGet();
    }

    /** Tests that call round() themselves renew no lease: it lasts longer than they take (loads are slow on a busy machine). */
    FollowProperties settings(Duration quietPeriod) {
        return settings(quietPeriod, Duration.ofMinutes(5));
    }

    FollowProperties settings(Duration quietPeriod, Duration lease) {
        return new FollowProperties(dir, Duration.ofMillis(20), quietPeriod, lease, Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofMillis(200), 3);
    }

    record Follower(DirectoryFollower follower, Lease lease, SimpleMeterRegistry meters) {
    }

    Follower follower(FollowProperties settings) {
        return follower(settings, clickHouse);
    }

    Follower follower(FollowProperties settings, ClickHouse through) {
        Lease lease = new Lease(clickHouse, leaseName, settings.leaseDuration(), settings.leaseSettle());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DirectoryFollower follower = new DirectoryFollower(through, settings, lease, new FollowMetrics(meters, Clock.systemUTC()),
                QUIET, Clock.systemUTC());
        return new Follower(follower, lease, meters);
    }

    /** A follower that holds its lease. */
    Follower leading() {
        Follower follower = follower(settings(Duration.ZERO));
        assertThat(follower.lease().acquireOrRenew()).isTrue();
        return follower;
    }

    Path export(String name, String prefix, String day, int rows) {
        return ExportFiles.write(clickHouse, ExportFiles.select(prefix, day, rows), "Parquet", dir.resolve(name));
    }

    long downloads(String prefix) {
        return WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE startsWith(project, '" + prefix + "')");
    }

    String status(Path file) {
        return clickHouse.queryOne(Sql.of("SELECT toString(status) AS s FROM ingest_follow_files FINAL WHERE source = {source:String}")
                .bind("source", file.toString()), row -> row.getString("s")).block();
    }

    String reason(Path file) {
        return clickHouse.queryOne(Sql.of("SELECT reason AS r FROM ingest_follow_files FINAL WHERE source = {source:String}")
                .bind("source", file.toString()), row -> row.getString("r")).block();
    }

    static double counter(SimpleMeterRegistry meters, String outcome) {
        return meters.get("pypi.ingest.files").tag("outcome", outcome).counter().count();
    }

    @Test
    void filesArrivingOneByOneAreEachLoadedOnceAfterTwoListings() {
        Follower following = leading();
        DirectoryFollower follower = following.follower();
        Path first = export("2016-01-01.parquet", "it-follow-one-", "2016-01-01", 300);

        DirectoryFollower.Round seen = follower.round();
        assertThat(seen.loaded()).isZero();
        assertThat(seen.pending()).isEqualTo(1);
        assertThat(downloads("it-follow-one-")).isZero();
        assertThat(follower.round().loaded()).isEqualTo(1);
        assertThat(downloads("it-follow-one-")).isEqualTo(300);

        Path second = export("2016-01-03.parquet", "it-follow-one-", "2016-01-03", 400);
        follower.round();
        DirectoryFollower.Round loaded = follower.round();
        assertThat(loaded.loaded()).isEqualTo(1);
        assertThat(loaded.rowsAdded()).isEqualTo(400);
        DirectoryFollower.Round nothing = follower.round();
        assertThat(nothing).isEqualTo(new DirectoryFollower.Round(0, 0, 0, 0, 0, false, false));

        assertThat(downloads("it-follow-one-")).isEqualTo(700);
        assertThat(status(first)).isEqualTo("loaded");
        assertThat(status(second)).isEqualTo("loaded");
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
        assertThat(counter(following.meters(), "loaded")).isEqualTo(2);
        assertThat(following.meters().get("pypi.ingest.rows").counter().count()).isEqualTo(downloads("it-follow-one-"));
        // Lag: now minus the end of the newest day the ledger holds as loaded, recomputed here.
        LocalDate newest = LocalDate.parse(clickHouse.queryOne(Sql.of(
                "SELECT toString(max(last_day)) AS d FROM ingest_files FINAL WHERE status = 'loaded'"), row -> row.getString("d")).block());
        double expected = System.currentTimeMillis() / 1000.0 - newest.plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        assertThat(following.meters().get("pypi.ingest.lag").gauge().value()).isBetween(expected - 60, expected + 60);
        following.lease().release();
    }

    /**
     * Several files at a time (pypi.follow.parallelism = 3), one listing: files of different days, the same rows under two
     * names, two shards of one export (one day) and a re-export of a day with five late rows under a later name. Each
     * file is counted once, the later of the same rows is a duplicate and the re-export is refused (as one at a time:
     * files sharing a day take their turns in name order), the ledger holds each loaded file once, its per-day rows are
     * what pypi holds, and every aggregate equals a recomputation from pypi.
     */
    @Test
    void severalFilesAtATimeAreEachCountedOnceAndFilesSharingADayTakeTurnsInNameOrder() throws IOException {
        Follower following = follower(settings(Duration.ZERO).withParallelism(3));
        assertThat(following.lease().acquireOrRenew()).isTrue();
        DirectoryFollower follower = following.follower();
        assertThat(follower.parallelism()).isEqualTo(3);
        String prefix = "it-follow-par-";
        Path first = export("2016-11-01a.parquet", prefix, "2016-11-01", 300);
        Path same = Files.copy(first, dir.resolve("2016-11-01b.parquet"));
        Path other = export("2016-11-04.parquet", prefix, "2016-11-04", 400);
        Path shard0 = export("2016-11-07-000000000000.parquet", prefix + "s", "2016-11-07", 200);
        Path shard1 = export("2016-11-07-000000000001.parquet", prefix + "t", "2016-11-07", 250);
        Path day = export("2016-11-10a.parquet", prefix, "2016-11-10", 350);
        Path rerun = ExportFiles.write(clickHouse, ExportFiles.select(prefix, "2016-11-10", 350) + " UNION ALL "
                + ExportFiles.select(prefix + "late-", "2016-11-10", 5), "Parquet", dir.resolve("2016-11-10b-rerun.parquet"));
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        assertThat(follower.round().pending()).isEqualTo(7);
        DirectoryFollower.Round round = follower.round();

        assertThat(round.loaded()).isEqualTo(5);
        assertThat(round.duplicates()).isEqualTo(1);
        assertThat(round.quarantined()).isEqualTo(1);
        assertThat(round.rowsAdded()).isEqualTo(300 + 400 + 200 + 250 + 350);
        for (Path loaded : List.of(first, other, shard0, shard1, day)) {
            assertThat(status(loaded)).as(loaded.toString()).isEqualTo("loaded");
        }
        assertThat(status(same)).isEqualTo("duplicate");
        assertThat(reason(same)).contains("already loaded").contains(first.toString());
        assertThat(status(rerun)).isEqualTo("quarantined");
        assertThat(reason(rerun)).contains("already hold").contains("repair-day --date 2016-11-10 " + rerun);
        assertThat(downloads(prefix)).isEqualTo(300 + 400 + 200 + 250 + 350);
        assertThat(WarehouseTruth.totals(clickHouse).get("pypi")).isEqualTo(before.get("pypi") + 300 + 400 + 200 + 250 + 350);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-par-", 2016)).isEmpty();
        // The ledger: each loaded file once, nothing of the duplicate or the re-export, and per day what pypi holds.
        String folder = dir.toString() + "/";
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_files FINAL WHERE startsWith(source, '"
                + folder + "')")).isEqualTo(5);
        assertThat(WarehouseTruth.count(clickHouse, "SELECT uniqExact(fingerprint) AS n FROM ingest_files FINAL WHERE status = 'loaded' "
                + "AND startsWith(source, '" + folder + "')")).isEqualTo(5);
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM ingest_follow_files FINAL WHERE startsWith(source, '"
                + folder + "')")).isEqualTo(7);
        assertThat(WarehouseTruth.count(clickHouse, """
                SELECT count() AS n FROM (
                    SELECT d.date AS date, sum(d.rows) AS rows
                    FROM (SELECT fingerprint, date, rows FROM ingest_file_days FINAL) AS d
                    INNER JOIN (SELECT fingerprint FROM ingest_files FINAL WHERE status = 'loaded' AND startsWith(source, '%s')) AS f
                    ON f.fingerprint = d.fingerprint
                    GROUP BY d.date) AS ledger
                FULL OUTER JOIN (SELECT date, count() AS rows FROM pypi
                                 WHERE startsWith(project, '%s') GROUP BY date) AS counted
                ON ledger.date = counted.date
                WHERE ledger.rows != counted.rows""".formatted(folder, prefix))).isZero();
        following.lease().release();
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        Follower following = follower(settings(Duration.ofMillis(800)));
        assertThat(following.lease().acquireOrRenew()).isTrue();
        DirectoryFollower follower = following.follower();
        byte[] ndjson = ExportFiles.bytes(clickHouse, ExportFiles.select("it-follow-slow-", "2016-02-01", 600), "JSONEachRow");
        Path slow = dir.resolve("2016-02-01.ndjson");
        int chunks = 5;
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = Arrays.copyOfRange(ndjson, i * ndjson.length / chunks, (i + 1) * ndjson.length / chunks);
            Files.write(slow, chunk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            // Two listings that see the same size: still not read, the last write is too recent.
            assertThat(follower.round().loaded()).isZero();
            assertThat(follower.round().loaded()).isZero();
            assertThat(downloads("it-follow-slow-")).isZero();
        }
        // Under a temporary name, a complete file is never read; renamed, it is.
        Path temporary = export("2016-02-03.parquet.partial", "it-follow-renamed-", "2016-02-03", 250);
        Thread.sleep(900);
        DirectoryFollower.Round round = follower.round();
        assertThat(round.loaded()).isEqualTo(1);
        assertThat(downloads("it-follow-slow-")).isEqualTo(600);
        assertThat(downloads("it-follow-renamed-")).isZero();

        Files.move(temporary, dir.resolve("2016-02-03.parquet"));
        follower.round();
        assertThat(follower.round().loaded()).isEqualTo(1);
        assertThat(downloads("it-follow-renamed-")).isEqualTo(250);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
        following.lease().release();
    }

    /**
     * The ledger fingerprints a file's rows, whatever its name and format: the same rows under another
     * name (a copy, or the same export as NDJSON) are recognised and add nothing. (An export that overlaps
     * a loaded one but is not identical, such as a day re-exported with late rows, has another fingerprint:
     * the per-day ledger catches it, see aReExportOfLoadedDaysUnderAnotherNameIsQuarantinedWithTheRepairCommand.)
     */
    @Test
    void theSameRowsUnderAnotherNameAreNotCountedTwice() throws IOException {
        Follower following = leading();
        DirectoryFollower follower = following.follower();
        String rows = ExportFiles.select("it-follow-dup-", "2016-03-01", 500);
        Path original = ExportFiles.write(clickHouse, rows, "Parquet", dir.resolve("2016-03-01.parquet"));
        follower.round();
        assertThat(follower.round().loaded()).isEqualTo(1);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        Path copy = Files.copy(original, dir.resolve("2016-03-01-again.parquet"));
        Path json = ExportFiles.write(clickHouse, rows, "JSONEachRow", dir.resolve("2016-03-01.ndjson"));
        follower.round();
        DirectoryFollower.Round round = follower.round();

        assertThat(round.loaded()).isZero();
        assertThat(round.duplicates()).isEqualTo(2);
        assertThat(status(copy)).isEqualTo("duplicate");
        assertThat(status(json)).isEqualTo("duplicate");
        assertThat(reason(copy)).contains("already loaded").contains(original.toString());
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(downloads("it-follow-dup-")).isEqualTo(500);
        assertThat(counter(following.meters(), "duplicate")).isEqualTo(2);
        following.lease().release();
    }

    @Test
    void aReExportOfLoadedDaysUnderAnotherNameIsQuarantinedWithTheRepairCommand() {
        Follower following = leading();
        DirectoryFollower follower = following.follower();
        String day = ExportFiles.select("it-follow-overlap-", "2016-10-01", 400);
        export("2016-10-01.parquet", "it-follow-overlap-", "2016-10-01", 400);
        follower.round();
        assertThat(follower.round().loaded()).isEqualTo(1);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        Path rerun = ExportFiles.write(clickHouse, day + " UNION ALL " + ExportFiles.select("it-follow-overlap-late-", "2016-10-01", 5),
                "Parquet", dir.resolve("2016-10-01-rerun.parquet"));
        follower.round();
        DirectoryFollower.Round round = follower.round();

        assertThat(round.quarantined()).isEqualTo(1);
        assertThat(round.loaded()).isZero();
        assertThat(status(rerun)).isEqualTo("quarantined");
        assertThat(reason(rerun)).contains("already hold").contains("repair-day --date 2016-10-01 " + rerun);
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(downloads("it-follow-overlap-")).isEqualTo(400);
        following.lease().release();
    }

    @Test
    void aBrokenFileIsQuarantinedWithItsReasonAndTheNextOneStillLoads() throws IOException {
        Follower following = leading();
        DirectoryFollower follower = following.follower();
        byte[] parquet = ExportFiles.bytes(clickHouse, ExportFiles.select("it-follow-broken-", "2016-04-01", 300), "Parquet");
        Path broken = Files.write(dir.resolve("2016-04-01.parquet"), Arrays.copyOf(parquet, parquet.length / 2));
        Path next = export("2016-04-03.parquet", "it-follow-next-", "2016-04-03", 200);
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);

        follower.round();
        DirectoryFollower.Round round = follower.round();

        assertThat(round.quarantined()).isEqualTo(1);
        assertThat(round.loaded()).isEqualTo(1);
        assertThat(status(broken)).isEqualTo("quarantined");
        assertThat(reason(broken)).contains("Cannot read").contains("Nothing was loaded");
        assertThat(downloads("it-follow-broken-")).isZero();
        assertThat(downloads("it-follow-next-")).isEqualTo(200);
        assertThat(WarehouseTruth.totals(clickHouse).get("pypi")).isEqualTo(before.get("pypi") + 200);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
        assertThat(counter(following.meters(), "quarantined")).isEqualTo(1);
        // A quarantined file is not read again while it stays as it is; replaced by a good file, it loads.
        assertThat(follower.round()).isEqualTo(new DirectoryFollower.Round(0, 0, 0, 0, 0, false, false));
        Files.write(broken, parquet);
        follower.round();
        assertThat(follower.round().loaded()).isEqualTo(1);
        assertThat(downloads("it-follow-broken-")).isEqualTo(300);
        assertThat(status(broken)).isEqualTo("loaded");
        following.lease().release();
    }

    @Test
    void aRestartedFollowerResumesWithoutLoadingAnythingTwice() {
        Follower first = leading();
        Path one = export("2016-05-01.parquet", "it-follow-restart-", "2016-05-01", 300);
        Path two = export("2016-05-03.parquet", "it-follow-restart-", "2016-05-03", 200);
        Path three = export("2016-05-05.parquet", "it-follow-restart-", "2016-05-05", 100);
        first.follower().round();
        assertThat(first.follower().round().loaded()).isEqualTo(3);
        first.lease().release();
        Map<String, Long> before = WarehouseTruth.totals(clickHouse);
        String recordedAt = updatedAt(one);

        // A new instance (as after a restart): every file is recognised from the listing alone, none is read.
        Follower second = leading();
        assertThat(second.follower().round()).isEqualTo(new DirectoryFollower.Round(0, 0, 0, 0, 0, false, false));
        assertThat(updatedAt(one)).isEqualTo(recordedAt);
        second.lease().release();

        // Stopped after the ledger said loaded but before its own record: the ledger knows the file, nothing added.
        clickHouse.execute(Sql.of("DELETE FROM ingest_follow_files WHERE source = {source:String}").bind("source", two.toString())).block();
        // Killed while publishing (the engine finished the insert, the ledger still says publishing): its days, which no
        // other file holds, are replaced with its rows, so it counts once (EngineDeathDuringLoadIntegrationTests kills for real).
        clickHouse.execute(Sql.of("""
                INSERT INTO ingest_files (fingerprint, source, format, rows, first_day, last_day, status, loaded_by, updated_at)
                SELECT fingerprint, source, format, rows, first_day, last_day, 'publishing', loaded_by, now64(3)
                FROM ingest_files FINAL WHERE source = {source:String}""").bind("source", three.toString())).block();
        clickHouse.execute(Sql.of("DELETE FROM ingest_follow_files WHERE source = {source:String}").bind("source", three.toString())).block();
        Follower third = leading();
        third.follower().round();
        DirectoryFollower.Round round = third.follower().round();

        assertThat(round.loaded()).isEqualTo(1);
        assertThat(round.rowsAdded()).isEqualTo(100);
        assertThat(status(two)).isEqualTo("loaded");
        assertThat(status(three)).isEqualTo("loaded");
        assertThat(reason(three)).contains("resumed an interrupted load");
        assertThat(WarehouseTruth.totals(clickHouse)).isEqualTo(before);
        assertThat(downloads("it-follow-restart-")).isEqualTo(600);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
        third.lease().release();
    }

    String updatedAt(Path file) {
        return clickHouse.queryOne(Sql.of("SELECT toString(updated_at) AS t FROM ingest_follow_files FINAL WHERE source = {source:String}")
                .bind("source", file.toString()), row -> row.getString("t")).block();
    }

    /** The warehouse for every statement but the long ones of loading and the kills ({@link ClickHouse#load}): those go to {@code loads}. */
    static ClickHouse loadsElsewhere(ClickHouse warehouse, ClickHouse loads) {
        return (ClickHouse) java.lang.reflect.Proxy.newProxyInstance(ClickHouse.class.getClassLoader(), new Class<?>[] {ClickHouse.class},
                (proxy, method, args) -> {
                    boolean loading = method.getName().startsWith("load") || method.getName().equals("kill");
                    try {
                        return method.invoke(loading ? loads : warehouse, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void anUnreachableWarehouseIsRetriedWithCappedBackoffAndNothingIsSkipped() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClickHouse unreachable = HttpClickHouse.administrative(new ClickHouseEndpoint(URI.create("http://127.0.0.1:" + port),
                endpoint.user(), endpoint.password(), endpoint.database(), Map.of()), Duration.ofSeconds(1), Duration.ofSeconds(5));
        Follower following = follower(settings(Duration.ZERO), loadsElsewhere(clickHouse, unreachable));
        assertThat(following.lease().acquireOrRenew()).isTrue();
        DirectoryFollower follower = following.follower();
        Path first = export("2016-06-01.parquet", "it-follow-down-", "2016-06-01", 100);
        export("2016-06-03.parquet", "it-follow-down-", "2016-06-03", 100);

        follower.round();
        for (int i = 0; i < 5; i++) {
            DirectoryFollower.Round round = follower.round();
            assertThat(round.retrying()).isTrue();
            assertThat(round.quarantined()).isZero();
        }
        // Never quarantined for an unreachable warehouse, never skipped to the next file.
        assertThat(counter(following.meters(), "failed")).isBetween(1.0, 5.0);
        assertThat(status(first)).isNull();
        assertThat(downloads("it-follow-down-")).isZero();
        assertThat(follower.backoff(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(follower.backoff(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(follower.backoff(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(follower.backoff(60)).isEqualTo(Duration.ofMillis(200));
        following.lease().release();
    }

    @Test
    void twoContendersForOneLeaseAgreeOnOneHolder() throws Exception {
        Lease a = new Lease(clickHouse, leaseName, Duration.ofSeconds(2), Duration.ofMillis(100));
        Lease b = new Lease(clickHouse, leaseName, Duration.ofSeconds(2), Duration.ofMillis(100));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Boolean> claimA = () -> {
                start.await();
                return a.acquireOrRenew();
            };
            Callable<Boolean> claimB = () -> {
                start.await();
                return b.acquireOrRenew();
            };
            Future<Boolean> wonA = pool.submit(claimA);
            Future<Boolean> wonB = pool.submit(claimB);
            assertThat(List.of(wonA.get(), wonB.get())).containsExactlyInAnyOrder(true, false);
        } finally {
            pool.shutdownNow();
        }
        Lease holder = a.held() ? a : b;
        Lease other = holder == a ? b : a;
        assertThat(holder.confirm()).isTrue();
        assertThat(other.confirm()).isFalse();
        assertThat(other.acquireOrRenew()).isFalse();
        assertThat(holder.current().holder()).isEqualTo(holder.holder());

        // The holder stops renewing: after the lease lapses the other takes it, and the old holder knows it lost.
        Thread.sleep(2100);
        assertThat(other.acquireOrRenew()).isTrue();
        assertThat(holder.renew()).isFalse();
        assertThat(holder.confirm()).isFalse();
        // Released, it is free at once.
        other.release();
        assertThat(holder.acquireOrRenew()).isTrue();
        holder.release();
    }

    @Test
    void twoFollowersRunningOnOneWarehouseLoadEachFileOnceThroughOneHolder() throws Exception {
        // Renewed in the background by run(), every third of the duration.
        Follower one = follower(settings(Duration.ZERO, Duration.ofSeconds(6)));
        Follower two = follower(settings(Duration.ZERO, Duration.ofSeconds(6)));
        Thread first = new Thread(one.follower()::run);
        Thread second = new Thread(two.follower()::run);
        first.start();
        second.start();
        try {
            for (int i = 0; i < 3; i++) {
                export("2016-07-0" + (1 + 2 * i) + ".parquet", "it-follow-two-", "2016-07-0" + (1 + 2 * i), 100 + i);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (downloads("it-follow-two-") < 303 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300); // a second loader, if there were one, would have added its copy by now
            assertThat(downloads("it-follow-two-")).isEqualTo(303);
            List<String> holders = clickHouse.query(Sql.of("SELECT DISTINCT holder FROM ingest_follow_files FINAL WHERE startsWith(source, {dir:String})")
                    .bind("dir", dir + "/"), row -> row.getString("holder")).collectList().block();
            assertThat(holders).hasSize(1).containsAnyOf(one.lease().holder(), two.lease().holder());
            assertThat(one.lease().held() ^ two.lease().held()).isTrue();
            assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEmpty();
        } finally {
            one.follower().stop();
            two.follower().stop();
            first.join(30_000);
            second.join(30_000);
        }
        assertThat(one.lease().held() || two.lease().held()).isFalse();
    }

    @Test
    void onceRefusesWhileAnotherFollowerHoldsTheLease() {
        Follower holder = leading();
        Follower other = follower(settings(Duration.ZERO));
        assertThatThrownBy(() -> other.follower().once())
                .isInstanceOf(dev.pypianalytics.ingest.IngestException.class).hasMessageContaining(holder.lease().holder());
        holder.lease().release();
    }
}
