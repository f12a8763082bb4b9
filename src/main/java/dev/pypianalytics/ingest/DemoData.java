package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.config.DemoDataProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Deterministic demo downloads, generated inside ClickHouse with one {@code INSERT ... SELECT} (no
 * rows pass through Java). Popularity follows the real one-month download counts of the top 15,000
 * projects (from ClickPy's per-month table, shipped as {@code demo/top-pypi-packages.csv}); every other
 * attribute is drawn from a seeded hash of (seed, project, row), so the same settings give the same rows.
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    static final String POPULARITY_CSV = "demo/top-pypi-packages.csv";

    // Weighted choices as arrays of 100 slots: the share of a value is the number of its slots.
    private static final String INSERT = """
            INSERT INTO pypi (date, country_code, project, type, installer, python_minor, system, version, ci, filename, libc)
            WITH
                popularity AS (SELECT project, download_count FROM demo_popularity),
                total AS (SELECT sum(download_count) AS downloads FROM popularity),
                rows_per_project AS (
                    SELECT project,
                           toUInt64(greatest(1, round(download_count * :rows / (SELECT downloads FROM total)))) AS n
                    FROM popularity
                ),
                expanded AS (
                    SELECT project, arrayJoin(range(n)) AS i, cityHash64(:seed, project, i) AS h
                    FROM rows_per_project
                )
            SELECT
                toDate(:lastDay) - toUInt32(least(:days - 1, floor(:days * (1 - sqrt((h % 1000003) / 1000003.0))))) AS date,
                arrayElement(['US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US','US',
                              'US','US','US','US','US','US','US','US','US','US','CN','CN','CN','CN','CN','CN','CN','CN','CN','CN',
                              'DE','DE','DE','DE','DE','DE','IE','IE','IE','IE','IE','GB','GB','GB','GB','IN','IN','IN','IN','IN',
                              'FR','FR','FR','JP','JP','JP','SG','SG','SG','NL','NL','NL','KR','KR','CA','CA','CA','BR','BR','AU',
                              'AU','RU','RU','SE','FI','PL','ES','IT','CH','HK','TW','IL','ID','VN','UA','MX','ZA','NO','DK','AT'],
                             1 + (intDiv(h, 7) % 100)) AS country_code,
                project,
                if(intDiv(h, 11) % 100 < 88, 'bdist_wheel', 'sdist') AS type,
                arrayElement(arrayConcat(arrayWithConstant(62, 'pip'), arrayWithConstant(20, 'uv'), arrayWithConstant(7, 'poetry'),
                                         arrayWithConstant(4, 'requests'), arrayWithConstant(3, 'pdm'), arrayWithConstant(2, 'bandersnatch'),
                                         arrayWithConstant(2, 'Browser')),
                             1 + (intDiv(h, 13) % 100)) AS installer,
                arrayElement(arrayConcat(arrayWithConstant(4, '3.8'), arrayWithConstant(9, '3.9'), arrayWithConstant(18, '3.10'),
                                         arrayWithConstant(25, '3.11'), arrayWithConstant(26, '3.12'), arrayWithConstant(15, '3.13'),
                                         arrayWithConstant(3, '3.14')),
                             1 + (intDiv(h, 17) % 100)) AS python_minor,
                arrayElement(arrayConcat(arrayWithConstant(82, 'Linux'), arrayWithConstant(10, 'Windows'), arrayWithConstant(8, 'Darwin')),
                             1 + (intDiv(h, 19) % 100)) AS system,
                concat(toString(1 + intDiv(h, 23) % 3), '.', toString(intDiv(h, 29) % 12), '.', toString(intDiv(h, 31) % 4)) AS version,
                CAST(arrayElement(arrayConcat(arrayWithConstant(58, 'false'), arrayWithConstant(32, 'true'), arrayWithConstant(10, 'unknown')),
                                  1 + (intDiv(h, 37) % 100)) AS Enum8('false' = 0, 'true' = 1, 'unknown' = 2)) AS ci,
                if(type = 'sdist', concat(project, '-', version, '.tar.gz'), concat(replaceAll(project, '-', '_'), '-', version, '-py3-none-any.whl')) AS filename,
                if(system = 'Linux', tuple('glibc', arrayElement(['2.17','2.28','2.31','2.35','2.39'], 1 + intDiv(h, 41) % 5)), tuple('', '')) AS libc
            FROM expanded
            """;

    /** Popularity lines per insert: keeps each statement well under ClickHouse's 256 KiB max_query_size. */
    private static final int CHUNK_LINES = 2_000;

    private final ClickHouse clickHouse;

    public DemoData(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Whether the warehouse holds no downloads yet. */
    public boolean warehouseIsEmpty() {
        return downloadRows() == 0;
    }

    private long downloadRows() {
        Long rows = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi"), row -> row.getLong("n")).block();
        return rows == null ? 0 : rows;
    }

    /** Generates the demo downloads into {@code pypi} (its materialized views fill the aggregates). */
    public void generate(DemoDataProperties settings) {
        log.info("Generating about {} demo downloads over {} days ending {} (seed {}) ...",
                settings.rows(), settings.days(), settings.lastDay(), settings.seed());
        long started = System.nanoTime();
        loadPopularity();
        clickHouse.execute(Sql.of(INSERT)
                        .bind("rows", settings.rows())
                        .bind("seed", settings.seed())
                        .bind("days", settings.days())
                        .bind("lastDay", settings.lastDay())
                        .withTimeout(Duration.ofMinutes(30)))
                .block();
        clickHouse.execute(Sql.of("DROP TABLE IF EXISTS demo_popularity")).block();
        log.info("Demo data ready: {} rows in pypi after {} ms", downloadRows(), (System.nanoTime() - started) / 1_000_000);
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
                            + "SELECT download_count, project FROM format(CSV, 'download_count Int64, project String', :chunk)")
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
