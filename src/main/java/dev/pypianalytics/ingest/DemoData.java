package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.DemoDataProperties;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * Deterministic, realistic demo downloads generated inside ClickHouse with SQL (no row passes through
 * Java), plus matching {@code projects} metadata.
 *
 * <ul>
 *   <li>Popularity follows the real one-month download counts of the top 15,000 projects (ClickPy's
 *       per-month table for 2026-03, shipped as {@code demo/top-pypi-packages.csv}): the last month of
 *       the generated range matches that curve.</li>
 *   <li>Each project has a life: established (first release years before the range), new (first release
 *       inside it), emerging (first release in the last six months), hot (steep growth over the last
 *       three months), declining, or stale (popular, no upload for over a year). Its versions follow
 *       PEP 440 numbering ({@code 1.9.2} before {@code 1.10.0}) with release dates; a download picks
 *       among the versions released by its day, mostly recent ones.</li>
 *   <li>Downloads grow over time (about 1.5-2x a year) and dip at weekends; countries, file types,
 *       systems, libc and CI follow fixed shares; Python minors follow CPython's release dates (3.14
 *       only after October 2025); uv appears in February 2024 and takes a growing share from pip.</li>
 * </ul>
 *
 * Every attribute is a function of a seeded hash, so the same settings give the same rows. Rows are
 * written month by month (one partition per statement) through {@code pypi}'s materialized views.
 */
public final class DemoData {

    static final String POPULARITY_CSV = "demo/top-pypi-packages.csv";

    /** Ledger entry of a generated data set: written first as 'publishing', then 'loaded'. */
    static final String LEDGER_PREFIX = "generate:";

    /** Popularity lines per insert: keeps each statement well under ClickHouse's 256 KiB max_query_size. */
    private static final int CHUNK_LINES = 2_000;

    private static final String PROJECTS = """
            CREATE TABLE demo_projects ENGINE = MergeTree ORDER BY project AS
            WITH toDate({firstDay:Date}) AS first_day, toDate({lastDay:Date}) AS last_day
            SELECT
                project,
                download_count,
                rank,
                h,
                kind,
                start_date,
                last_release,
                growth,
                versions,
                arrayMap(i -> start_date + toIntervalDay(toUInt32(floor(dateDiff('day', start_date, last_release)
                                  * if(length(versions) = 1, 0, i / (length(versions) - 1))))),
                         range(length(versions))) AS release_dates
            FROM (
                SELECT
                    project,
                    download_count,
                    row_number() OVER (ORDER BY download_count DESC, project) AS rank,
                    cityHash64({seed:Int64}, 'project', project) AS h,
                    multiIf(h % 100 < 4, 'emerging', h % 100 < 12, 'new', h % 100 < 15, 'hot',
                            h % 100 < 20, 'declining', h % 100 < 32, 'stale', 'established') AS kind,
                    multiIf(kind = 'emerging', greatest(first_day, last_day - toIntervalDay(intDiv(h, 100) % 180)),
                            kind = 'new', first_day + toIntervalDay(intDiv(h, 100) % greatest(1, dateDiff('day', first_day, last_day) - 180)),
                            first_day - toIntervalDay(200 + intDiv(h, 100) % 2500)) AS start_date,
                    greatest(start_date, if(kind = 'stale',
                                            last_day - toIntervalDay(400 + intDiv(h, 10000) % 400),
                                            last_day - toIntervalDay(intDiv(h, 10000) % 45))) AS last_release,
                    multiIf(kind = 'declining', -0.0012, 0.0010 + (intDiv(h, 13) % 100) / 100000.0) AS growth,
                    if(kind = 'emerging', 1 + intDiv(h, 1000000) % 4,
                       2 + intDiv(h, 1000000) % 20 + if(rank <= 200, 15, 0)) AS version_count,
                    6 + intDiv(h, 100000000) % 31 AS per_major,
                    intDiv(h, 7) % 3 AS first_major,
                    arrayMap(i -> concat(toString(first_major + intDiv(i, per_major)), '.',
                                         toString(intDiv(i % per_major, 3)), '.', toString(i % 3)),
                             range(version_count)) AS versions
                FROM demo_popularity
            )
            """;

    // Expected rows per (project, month): the project's weight on that month's valid days, scaled so all
    // months sum to the requested size, then rounded up or down by a seeded coin so totals stay unbiased.
    private static final String MONTH_ROWS = """
            CREATE TABLE demo_month_rows ENGINE = MergeTree ORDER BY (month, project) AS
            WITH toDate({firstDay:Date}) AS first_day, toDate({lastDay:Date}) AS last_day,
                 arrayMap(i -> addMonths(toStartOfMonth(first_day), i),
                          range(toUInt32(dateDiff('month', toStartOfMonth(first_day), toStartOfMonth(last_day)) + 1))) AS months
            SELECT
                project,
                month,
                valid_from,
                valid_to,
                toUInt64(floor(expected) + if(cityHash64({seed:Int64}, 'round', project, month) % 1000000 < (expected - floor(expected)) * 1000000, 1, 0)) AS n
            FROM (
                SELECT project, month, valid_from, valid_to, weight * {rows:Int64} / sum(weight) OVER () AS expected
                FROM (
                    SELECT
                        project,
                        month,
                        greatest(month, first_day, start_date) AS valid_from,
                        least(toLastDayOfMonth(month), last_day) AS valid_to,
                        valid_from + toIntervalDay(intDiv(dateDiff('day', valid_from, valid_to), 2)) AS middle,
                        download_count * (dateDiff('day', valid_from, valid_to) + 1)
                            * exp(growth * dateDiff('day', last_day, middle))
                            * if(kind = 'hot', exp(0.025 * least(0, dateDiff('day', last_day, middle) + 90)), 1) AS weight
                    FROM demo_projects
                    ARRAY JOIN months AS month
                    WHERE valid_to >= valid_from
                )
            )
            """;

    // Weighted choices are arrays of 100 (or 1000) slots: the share of a value is its number of slots.
    private static final String MONTH_DOWNLOADS = """
            INSERT INTO pypi (date, country_code, project, type, installer, python_minor, system, version, ci, filename, libc)
            SELECT
                date,
                arrayElement(['US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US',
                              'US','US','US','US','US','US','US','US','US','US','CN','CN','CN','CN','CN','CN','CN','CN','CN','CN',
                              'DE','DE','DE','DE','DE','DE','IE','IE','IE','IE','IE','GB','GB','GB','GB','IN','IN','IN','IN','IN',
                              'FR','FR','FR','JP','JP','JP','SG','SG','SG','NL','NL','NL','KR','KR','CA','CA','CA','BR','BR','AU',
                              'AU','RU','RU','SE','FI','PL','ES','IT','CH','HK','TW','IL','ID','VN','UA','MX','ZA','NO','DK',''],
                             1 + intDiv(h, 7) % 100) AS country_code,
                project,
                multiIf(intDiv(h, 11) % 1000 < 880, 'bdist_wheel', intDiv(h, 11) % 1000 < 995, 'sdist', 'bdist_egg') AS type,
                if(intDiv(h, 13) % 1000 < 10 * greatest(0, least(30, dateDiff('day', toDate('2024-02-15'), date) * 28 / 775)),
                   'uv',
                   arrayElement(arrayConcat(arrayWithConstant(78, 'pip'), arrayWithConstant(6, 'poetry'), arrayWithConstant(4, 'requests'),
                                            arrayWithConstant(2, 'pdm'), arrayWithConstant(3, 'bandersnatch'), arrayWithConstant(2, 'Browser'),
                                            arrayWithConstant(5, '')),
                                1 + intDiv(h, 17) % 100)) AS installer,
                concat('3.', toString(greatest(6, 7 + arrayCount(x -> x <= date,
                        [toDate('2019-10-14'), toDate('2020-10-05'), toDate('2021-10-04'), toDate('2022-10-24'),
                         toDate('2023-10-02'), toDate('2024-10-07'), toDate('2025-10-07')])
                    - arrayElement(arrayConcat(arrayWithConstant(10, 0), arrayWithConstant(25, 1), arrayWithConstant(30, 2),
                                               arrayWithConstant(18, 3), arrayWithConstant(10, 4), arrayWithConstant(5, 5),
                                               arrayWithConstant(2, 6)),
                                   1 + intDiv(h, 19) % 100)))) AS python_minor,
                arrayElement(arrayConcat(arrayWithConstant(80, 'Linux'), arrayWithConstant(11, 'Windows'), arrayWithConstant(8, 'Darwin'),
                                         arrayWithConstant(1, '')),
                             1 + intDiv(h, 23) % 100) AS system,
                versions[greatest(1, released - toUInt32(floor(released * pow((intDiv(h, 29) % 10000) / 10000.0, 3))))] AS version,
                CAST(arrayElement(arrayConcat(arrayWithConstant(60, 'false'), arrayWithConstant(28, 'true'), arrayWithConstant(12, 'unknown')),
                                  1 + intDiv(h, 31) % 100) AS Enum8('false' = 0, 'true' = 1, 'unknown' = 2)) AS ci,
                multiIf(type = 'sdist', concat(replaceAll(project, '-', '_'), '-', version, '.tar.gz'),
                        type = 'bdist_egg', concat(replaceAll(project, '-', '_'), '-', version, '-py3.8.egg'),
                        concat(replaceAll(project, '-', '_'), '-', version, '-py3-none-any.whl')) AS filename,
                if(system = 'Linux',
                   if(intDiv(h, 37) % 100 < 92,
                      tuple('glibc', arrayElement(['2.17', '2.28', '2.31', '2.35', '2.39'], 1 + intDiv(h, 41) % 5)),
                      tuple('musl', '1.2.4')),
                   tuple('', '')) AS libc
            FROM (
                SELECT
                    project,
                    versions,
                    h,
                    -- Weekends keep about half their downloads; the rest move to one of the five weekdays before.
                    if(toDayOfWeek(day) >= 6 AND intDiv(h, 3) % 100 >= 55
                           AND day - (toDayOfWeek(day) - 5 + intDiv(h, 300) % 5) >= valid_from,
                       day - (toDayOfWeek(day) - 5 + intDiv(h, 300) % 5), day) AS date,
                    greatest(1, arrayCount(x -> x <= date, release_dates)) AS released
                FROM (
                    SELECT
                        r.project AS project,
                        r.valid_from AS valid_from,
                        p.versions AS versions,
                        p.release_dates AS release_dates,
                        cityHash64({seed:Int64}, r.project, r.month, arrayJoin(range(r.n))) AS h,
                        r.valid_from + toIntervalDay(h % (dateDiff('day', r.valid_from, r.valid_to) + 1)) AS day
                    FROM demo_month_rows AS r
                    INNER JOIN demo_projects AS p ON p.project = r.project
                    WHERE r.month = toDate({month:Date})
                )
            )
            """;

    // One wheel and one sdist per version, with dependencies on popular projects (exact names).
    private static final String PROJECT_METADATA = """
            INSERT INTO projects (name, version, summary, description_content_type, author, author_email, license, keywords,
                                  classifiers, home_page, project_urls, requires_python, requires_dist, upload_time, filename,
                                  size, packagetype, python_version, uploaded_via, sha256_digest)
            WITH (SELECT groupArray(project) FROM (SELECT project FROM demo_projects ORDER BY rank LIMIT 300)) AS popular
            SELECT
                project AS name,
                version,
                concat(arrayElement(['A fast', 'A simple', 'A modern', 'The', 'A typed', 'A small'], 1 + h % 6), ' ',
                       arrayElement(['library', 'toolkit', 'client', 'framework', 'plugin', 'utility'], 1 + intDiv(h, 6) % 6),
                       ' for ', arrayElement(['HTTP', 'data frames', 'testing', 'cloud APIs', 'configuration', 'parsing',
                                              'machine learning', 'command lines'], 1 + intDiv(h, 36) % 8)) AS summary,
                'text/markdown' AS description_content_type,
                arrayElement(['Ada Lovelace', 'Grace Hopper', 'Guido Example', 'Alan Turing', 'Barbara Liskov',
                              'Edsger Dijkstra', 'The Maintainers'], 1 + intDiv(h, 288) % 7) AS author,
                concat('maintainers@', replaceAll(project, '_', '-'), '.example.org') AS author_email,
                arrayElement(arrayConcat(arrayWithConstant(40, 'MIT'), arrayWithConstant(25, 'Apache-2.0'),
                                         arrayWithConstant(15, 'BSD-3-Clause'), arrayWithConstant(5, 'GPL-3.0-or-later'),
                                         arrayWithConstant(3, 'MPL-2.0'), arrayWithConstant(12, '')),
                             1 + intDiv(h, 2016) % 100) AS license,
                '' AS keywords,
                ['Programming Language :: Python :: 3', 'Operating System :: OS Independent'] AS classifiers,
                concat('https://github.com/', project, '/', project) AS home_page,
                [concat('Source, https://github.com/', project, '/', project)] AS project_urls,
                concat('>=3.', toString(greatest(6, toYear(release_date) - 2016))) AS requires_python,
                arrayMap(d -> concat(d, '>=', toString(1 + cityHash64(d) % 3), '.0',
                                     if(cityHash64(project, d) % 5 = 0, '; extra == "dev"', '')),
                         arrayFilter(d -> d != project,
                                     arrayDistinct(arrayMap(j -> popular[1 + cityHash64({seed:Int64}, project, 'dep', j) % length(popular)],
                                                            range(intDiv(h, 20160) % 7))))) AS requires_dist,
                toDateTime64(release_date, 6, 'UTC') + toIntervalSecond(cityHash64(project, version) % 86400) AS upload_time,
                if(packagetype = 'sdist', concat(replaceAll(project, '-', '_'), '-', version, '.tar.gz'),
                   concat(replaceAll(project, '-', '_'), '-', version, '-py3-none-any.whl')) AS filename,
                toUInt64(10000 + cityHash64(project, version, packagetype) % 5000000) AS size,
                packagetype,
                if(packagetype = 'sdist', 'source', 'py3') AS python_version,
                'twine/5.1.1' AS uploaded_via,
                lower(hex(SHA256(concat(project, version, packagetype)))) AS sha256_digest
            FROM demo_projects
            ARRAY JOIN versions AS version, release_dates AS release_date
            ARRAY JOIN ['bdist_wheel', 'sdist'] AS packagetype
            """;

    private final ClickHouse clickHouse;

    public DemoData(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Whether a generated data set was interrupted before it finished (its ledger entry never said 'loaded'). */
    public boolean interrupted() {
        Long rows = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM ingest_files FINAL "
                + "WHERE startsWith(fingerprint, {prefix:String}) AND status = 'publishing'")
                .bind("prefix", LEDGER_PREFIX), row -> row.getLong("n")).block();
        return rows != null && rows > 0;
    }

    /**
     * Generates the demo data set into {@code pypi} (its materialized views fill the aggregates) and
     * {@code projects}, and records every generated day as complete.
     *
     * @return rows written to pypi
     */
    public long generate(DemoDataProperties settings, Progress progress) {
        LocalDate lastDay = settings.lastDay();
        LocalDate firstDay = lastDay.minusDays(settings.days() - 1L);
        String fingerprint = LEDGER_PREFIX + "seed=" + settings.seed() + ",rows=" + settings.rows()
                + ",days=" + settings.days() + ",last-day=" + lastDay;
        progress.step(String.format(java.util.Locale.ROOT, "Generating about %,d demo downloads from %s to %s (seed %d)",
                settings.rows(), firstDay, lastDay, settings.seed()));
        long started = System.nanoTime();
        ledger(fingerprint, "publishing", firstDay, lastDay, 0);
        try {
            dropWorkingTables();  // left over if an earlier run was killed
            loadPopularity();
            run(Sql.of(PROJECTS), settings, firstDay);
            run(Sql.of(MONTH_ROWS), settings, firstDay);
            List<LocalDate> months = clickHouse.query(Sql.of("SELECT DISTINCT month FROM demo_month_rows ORDER BY month"),
                    row -> row.getDate("month")).collectList().block();
            long written = 0;
            long target = settings.rows();
            for (LocalDate month : months) {
                // One partition per statement; the ~15 views of pypi run in parallel.
                run(Sql.of(MONTH_DOWNLOADS).bind("month", month).setting("parallel_view_processing", true), settings, firstDay);
                Long monthRows = clickHouse.queryOne(Sql.of("SELECT sum(n) AS n FROM demo_month_rows WHERE month = {month:Date}")
                        .bind("month", month), row -> row.getLong("n")).block();
                written += monthRows == null ? 0 : monthRows;
                progress.rows("generate", written, target, -1, Duration.ofNanos(System.nanoTime() - started));
            }
            run(Sql.of(PROJECT_METADATA), settings, firstDay);
            new WarehouseData(clickHouse).reloadDictionaries();
            new Freshness(clickHouse).recordFromPypi(firstDay, lastDay, "generate");
            ledger(fingerprint, "loaded", firstDay, lastDay, written);
            progress.step(String.format(java.util.Locale.ROOT, "Demo data ready: %,d downloads of %,d projects in %d ms",
                    written, projectCount(), (System.nanoTime() - started) / 1_000_000));
            return written;
        } finally {
            dropWorkingTables();
        }
    }

    private void dropWorkingTables() {
        for (String table : List.of("demo_popularity", "demo_projects", "demo_month_rows")) {
            clickHouse.execute(Sql.of("DROP TABLE IF EXISTS " + table)).block();
        }
    }

    private void run(Sql sql, DemoDataProperties settings, LocalDate firstDay) {
        Sql bound = sql.text().contains("{rows:Int64}") ? sql.bind("rows", settings.rows()) : sql;
        if (sql.text().contains("{seed:Int64}")) {
            bound = bound.bind("seed", settings.seed());
        }
        if (sql.text().contains("{firstDay:Date}")) {
            bound = bound.bind("firstDay", firstDay).bind("lastDay", settings.lastDay());
        }
        clickHouse.execute(bound.withTimeout(Duration.ofHours(2))).block();
    }

    private long projectCount() {
        Long rows = clickHouse.queryOne(Sql.of("SELECT uniqExact(project) AS n FROM pypi_downloads"), row -> row.getLong("n")).block();
        return rows == null ? 0 : rows;
    }

    private void ledger(String fingerprint, String status, LocalDate firstDay, LocalDate lastDay, long rows) {
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_files (fingerprint, source, format, rows, first_day, last_day, status, loaded_by, updated_at)
                        VALUES ({fingerprint:String}, 'demo data generator', 'generated', {rows:Int64}, {firstDay:Date}, {lastDay:Date}, {status:String}, 'generate', now64(3))""")
                .bind("fingerprint", fingerprint).bind("rows", rows).bind("firstDay", firstDay).bind("lastDay", lastDay)
                .bind("status", status)).block();
    }

    /** A working table of (project, one-month downloads), filled from the shipped CSV in chunks. */
    private void loadPopularity() {
        clickHouse.execute(Sql.of("DROP TABLE IF EXISTS demo_popularity")).block();
        clickHouse.execute(Sql.of("CREATE TABLE demo_popularity (project String, download_count Int64) "
                + "ENGINE = MergeTree ORDER BY project")).block();
        List<String> lines = popularityCsv().lines().skip(1).filter(line -> !line.isBlank()).toList();
        for (int from = 0; from < lines.size(); from += CHUNK_LINES) {
            String chunk = String.join("\n", lines.subList(from, Math.min(lines.size(), from + CHUNK_LINES)));
            clickHouse.execute(Sql.of("INSERT INTO demo_popularity (download_count, project) "
                            + "SELECT download_count, project FROM format(CSV, 'download_count Int64, project String', {chunk:String})")
                    .bind("chunk", chunk)).block();
        }
    }

    static String popularityCsv() {
        try {
            return new ClassPathResource(POPULARITY_CSV).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("demo popularity data missing from the classpath: " + POPULARITY_CSV, e);
        }
    }
}
