package dev.pypianalytics.support;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Download export files for tests, written by ClickHouse itself in the BigQuery shape (the client
 * fields nested in {@code details}, as real exports are), as Parquet or newline-delimited JSON.
 */
public final class ExportFiles {

    /** {@code rows} downloads of projects {@code <prefix>0..4} spread over two days starting {@code day}. */
    public static String select(String prefix, String day, int rows) {
        return """
                SELECT
                    toDateTime64('%s 00:00:00', 6, 'UTC') + toIntervalSecond(number * 7919 %% 172800) AS timestamp,
                    ['US', 'DE', 'IN', NULL][1 + number %% 4] AS country_code,
                    concat('/packages/', toString(number)) AS url,
                    concat('%s', toString(number %% 5)) AS project,
                    CAST(tuple(concat('f', toString(number), '.whl'), concat('%s', toString(number %% 5)),
                               concat('1.', toString(number %% 3)), if(number %% 4 = 0, 'sdist', 'bdist_wheel')),
                         'Tuple(filename String, project String, version String, type String)') AS file,
                    CAST(tuple(tuple(if(number %% 3 = 0, 'uv', 'pip'), '1.0'), concat('3.', toString(10 + number %% 4), '.1'),
                               tuple('CPython', '3.12.1'), tuple('Ubuntu', '22.04', 'jammy', tuple('glibc', '2.35')),
                               tuple(if(number %% 5 = 0, 'Windows', 'Linux'), '6.1'), 'x86_64', 'OpenSSL 3', '69.0', NULL,
                               if(number %% 3 = 1, NULL, number %% 2 = 0)),
                         'Tuple(installer Tuple(name String, version String), python String, implementation Tuple(name String, version String), distro Tuple(name String, version String, id String, libc Tuple(lib String, version String)), system Tuple(name String, release String), cpu String, openssl_version String, setuptools_version String, rustc_version Nullable(String), ci Nullable(Bool))') AS details,
                    'TLSv1.3' AS tls_protocol,
                    'TLS_AES_128_GCM_SHA256' AS tls_cipher
                FROM numbers(%d)
                """.formatted(day, prefix, prefix, rows);
    }

    /** The result of a SELECT in a ClickHouse output format. */
    public static byte[] bytes(ClickHouse clickHouse, String select, String format) {
        return clickHouse.loadAndWait(Sql.of(select + " FORMAT " + format), null, null);
    }

    /** Writes the result of a SELECT in a ClickHouse output format to a file. */
    public static Path write(ClickHouse clickHouse, String select, String format, Path file) {
        byte[] bytes = bytes(clickHouse, select, format);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private ExportFiles() {
    }
}
