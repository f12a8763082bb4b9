package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The live demo's generator: writes PyPI download exports (BigQuery shape, the client fields nested in
 * {@code details}, newline-delimited JSON, gzip) that continue the demo data set after its last day, into a
 * folder a follower loads. Each file holds the downloads of one time range, named
 * {@code pypi-live-<from>-<to>.json.gz} (UTC, {@code yyyyMMdd'T'HHmmss'Z'}): one whole day per file while
 * catching up to today, then the time since the last file. A file is written under a temporary name and
 * renamed, so a follower never sees half of it.
 *
 * <p>The rows of a day are a function of the seed and the day only (never of when or in which pieces they
 * are written): a day has the rows of the same weekday in the demo data set's last week, grown by 0.12 % a
 * day (the demo's own growth), each row a seeded pick among that weekday's downloads at a seeded time of the
 * day. So a range written twice holds the same rows (the ledger records the second file as a duplicate), and
 * where the generator resumes after a restart (the newest range in the folder or the ledger) does not change
 * what a day holds.
 */
public final class LiveDemo {

    static final String PREFIX = "pypi-live-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{8}T\\d{6}Z)-(\\d{8}T\\d{6}Z)\\.json\\.gz");
    private static final String TEMPLATE = "demo_live_template";
    /** Files of this generator waiting in the folder beyond which it waits for the follower (and prunes loaded ones). */
    static final int MAX_WAITING_FILES = 20;
    private static final double DAILY_GROWTH = 0.0012;

    // The demo data set's last week, numbered per weekday in a fixed order: the pool a new day's rows are picked from.
    private static final String TEMPLATE_TABLE = """
            CREATE TABLE %s ENGINE = MergeTree ORDER BY (weekday, n) AS
            SELECT toDayOfWeek(date) AS weekday,
                   row_number() OVER (PARTITION BY date ORDER BY project, version, country_code, type, installer, python_minor,
                                                               system, ci, filename, libc) AS n,
                   project, version, country_code, type, installer, python_minor, system, ci, filename, libc
            FROM pypi WHERE date BETWEEN {from:Date} AND {to:Date}""";

    private static final String ROWS = """
            SELECT
                t.ts AS timestamp,
                nullIf(p.country_code, '') AS country_code,
                concat('/packages/', toString(t.h %% 256), '/', p.filename) AS url,
                p.project AS project,
                CAST(tuple(p.filename, p.project, p.version, p.type),
                     'Tuple(filename String, project String, version String, type String)') AS file,
                CAST(tuple(tuple(nullIf(p.installer, ''), if(p.installer = 'uv', '0.5.11', if(p.installer = 'pip', '24.3.1', NULL))),
                           if(p.python_minor = '', NULL, concat(p.python_minor, '.', toString(intDiv(t.h, 7) %% 10))),
                           tuple('CPython', if(p.python_minor = '', NULL, concat(p.python_minor, '.', toString(intDiv(t.h, 7) %% 10)))),
                           tuple(if(p.system = 'Linux', 'Ubuntu', NULL), if(p.system = 'Linux', '24.04', NULL), if(p.system = 'Linux', 'noble', NULL),
                                 tuple(nullIf(p.libc.1, ''), nullIf(p.libc.2, ''))),
                           tuple(nullIf(p.system, ''), NULL), 'x86_64', 'OpenSSL 3.0.13', '75.1.0', NULL,
                           multiIf(p.ci = 'true', true, p.ci = 'false', false, NULL)),
                     'Tuple(installer Tuple(name Nullable(String), version Nullable(String)), python Nullable(String), implementation Tuple(name Nullable(String), version Nullable(String)), distro Tuple(name Nullable(String), version Nullable(String), id Nullable(String), libc Tuple(lib Nullable(String), version Nullable(String))), system Tuple(name Nullable(String), release Nullable(String)), cpu Nullable(String), openssl_version Nullable(String), setuptools_version Nullable(String), rustc_version Nullable(String), ci Nullable(Bool))') AS details,
                'TLSv1.3' AS tls_protocol,
                'TLS_AES_128_GCM_SHA256' AS tls_cipher
            FROM (
                SELECT cityHash64({seed:Int64}, 'live', {day:Date}, number) AS h,
                       toDateTime64({day:Date}, 6, 'UTC') + toIntervalMicrosecond(h %% 86400000000) AS ts,
                       1 + intDiv(h, 86400000000) %% {pool:Int64} AS n
                FROM numbers({rows:Int64})
            ) AS t
            INNER JOIN (SELECT * FROM %s WHERE weekday = {weekday:UInt8}) AS p ON p.n = t.n
            WHERE t.ts >= toDateTime64({from:String}, 6, 'UTC') AND t.ts < toDateTime64({to:String}, 6, 'UTC')
            ORDER BY t.ts, t.h
            FORMAT JSONEachRow""";

    /** One written file. */
    public record Written(Path file, Instant from, Instant to) {
    }

    private final ClickHouse clickHouse;
    private final Path directory;
    private final long seed;
    private final Clock clock;
    private LocalDate demoLastDay;
    private Instant next;

    public LiveDemo(ClickHouse clickHouse, Path directory, long seed, Clock clock) {
        this.clickHouse = clickHouse;
        this.directory = directory;
        this.seed = seed;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The last day of the demo data set generated into this warehouse, if it holds one (the generator's ledger
     * entry): the live demo only ever continues that.
     */
    public Optional<LocalDate> demoLastDay() {
        LocalDate day = clickHouse.queryOne(Sql.of("SELECT max(last_day) AS d, count() AS n FROM ingest_files FINAL "
                        + "WHERE startsWith(fingerprint, {prefix:String}) AND status = 'loaded'").bind("prefix", DemoData.LEDGER_PREFIX),
                row -> row.getLong("n") == 0 ? LocalDate.MIN : row.getDate("d")).block();
        return day == null || day.equals(LocalDate.MIN) ? Optional.empty() : Optional.of(day);
    }

    /**
     * Prepares the pool of rows and where to resume: after the newest range in the folder or in the ledger,
     * else at the start of the day after the demo data set.
     *
     * @return false when this warehouse holds no generated demo data set (then nothing is ever written)
     */
    public boolean prepare() {
        Optional<LocalDate> last = demoLastDay();
        if (last.isEmpty()) {
            return false;
        }
        demoLastDay = last.get();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the live demo's folder " + directory, e);
        }
        clickHouse.execute(Sql.of("DROP TABLE IF EXISTS " + TEMPLATE)).block();
        clickHouse.execute(Sql.of(TEMPLATE_TABLE.formatted(TEMPLATE)).bind("from", demoLastDay.minusDays(6)).bind("to", demoLastDay)).block();
        Instant resume = demoLastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        for (String name : namesInFolder()) {
            resume = later(resume, end(name));
        }
        String newest = clickHouse.queryOne(Sql.of("SELECT max(extract(source, {pattern:String})) AS name FROM ingest_files FINAL "
                + "WHERE position(source, {prefix:String}) > 0").bind("pattern", "(" + PREFIX + "[0-9TZ-]+\\.json\\.gz)").bind("prefix", PREFIX),
                row -> row.getString("name")).block();
        resume = later(resume, newest == null || newest.isEmpty() ? null : end(newest));
        next = resume;
        return true;
    }

    /** Where the next file starts. */
    public Instant next() {
        return next;
    }

    /**
     * Writes the next file if its time has come: the rest of the day when that day is over, else (today) the time
     * since the last file once it is at least {@code minimum} long. A range without downloads moves on without a
     * file. Returns what was written, or nothing (not yet, nothing in the range, or too many files still waiting).
     */
    public Optional<Written> step(java.time.Duration minimum) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate day = LocalDate.ofInstant(next, ZoneOffset.UTC);
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = dayEnd.isAfter(now) ? now : dayEnd;
        if (!to.isAfter(next) || (to.isBefore(dayEnd) && java.time.Duration.between(next, to).compareTo(minimum) < 0)) {
            return Optional.empty();
        }
        if (waiting() >= MAX_WAITING_FILES) {
            return Optional.empty();
        }
        Instant from = next;
        byte[] json = rows(day, from, to);
        next = to;
        if (json.length == 0) {
            return Optional.empty();
        }
        Path file = directory.resolve(PREFIX + STAMP.format(from) + "-" + STAMP.format(to) + ".json.gz");
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary))) {
                out.write(json);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return Optional.of(new Written(file, from, to));
    }

    /** Rows a day holds in all: its weekday's rows in the demo's last week, grown since. */
    long rowsOf(LocalDate day) {
        long pool = poolOf(day);
        long days = java.time.temporal.ChronoUnit.DAYS.between(demoLastDay, day);
        return Math.round(pool * Math.exp(DAILY_GROWTH * days));
    }

    private long poolOf(LocalDate day) {
        Long rows = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM " + TEMPLATE + " WHERE weekday = {weekday:Int64}")
                .bind("weekday", (long) day.getDayOfWeek().getValue()), row -> row.getLong("n")).block();
        return rows == null ? 0 : rows;
    }

    private byte[] rows(LocalDate day, Instant from, Instant to) {
        long pool = poolOf(day);
        if (pool == 0) {
            return new byte[0];
        }
        Sql statement = Sql.of(ROWS.formatted(TEMPLATE))
                .bind("seed", seed).bind("day", day).bind("pool", pool)
                .bind("rows", rowsOf(day)).bind("weekday", day.getDayOfWeek().getValue())
                .bind("from", DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC).format(from).replace('T', ' '))
                .bind("to", DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC).format(to).replace('T', ' '));
        return clickHouse.loadAndWait(statement, null, null);
    }

    /**
     * This generator's files still in the folder that the ledger does not hold as loaded; loaded ones beyond the
     * newest few are deleted so the folder stays small.
     */
    private int waiting() {
        List<String> names = namesInFolder();
        if (names.size() < MAX_WAITING_FILES) {
            return names.size();
        }
        List<String> paths = names.stream().map(name -> directory.resolve(name).toString()).toList();
        List<String> loaded = clickHouse.query(Sql.of("SELECT DISTINCT source FROM ingest_files FINAL WHERE status = 'loaded' "
                + "AND source IN {paths:Array(String)}").bind("paths", paths), row -> row.getString("source")).collectList().block();
        int left = names.size();
        for (String path : loaded) {
            try {
                if (Files.deleteIfExists(Path.of(path))) {
                    left--;
                }
            } catch (IOException e) {
                // Kept: counted as waiting.
            }
        }
        return left;
    }

    private List<String> namesInFolder() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = new ArrayList<>();
            files.map(file -> file.getFileName().toString()).filter(name -> NAME.matcher(name).matches()).sorted().forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    static Instant end(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return null;
        }
        return Instant.from(STAMP.parse(matcher.group(2)));
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
