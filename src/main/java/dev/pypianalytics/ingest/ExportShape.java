package dev.pypianalytics.ingest;

/**
 * The shape of PyPI's BigQuery download export ({@code bigquery-public-data.pypi.file_downloads}) as the
 * loader reads it. Real exports nest the client fields in a {@code details} record; ClickPy's staging
 * table (and ours, {@code pypi_raw}) has them flattened. Files in either shape load: the input structure
 * declares both, missing columns read as NULL, and the mapping takes whichever is present.
 */
final class ExportShape {

    private static final String PAIR = "Tuple(name Nullable(String), version Nullable(String))";
    private static final String DISTRO = "Tuple(name Nullable(String), version Nullable(String), id Nullable(String), "
            + "libc Tuple(lib Nullable(String), version Nullable(String)))";
    private static final String SYSTEM = "Tuple(name Nullable(String), release Nullable(String))";
    private static final String FILE = "Tuple(filename Nullable(String), project Nullable(String), version Nullable(String), "
            + "type Nullable(String))";

    /** What the loader asks ClickHouse to read from a file: flat columns and the nested details record. */
    static final String INPUT_STRUCTURE = String.join(", ",
            "timestamp Nullable(DateTime64(6, 'UTC'))",
            "country_code Nullable(String)",
            "url Nullable(String)",
            "project Nullable(String)",
            "file " + FILE,
            "installer " + PAIR,
            "python Nullable(String)",
            "implementation " + PAIR,
            "distro " + DISTRO,
            "system " + SYSTEM,
            "cpu Nullable(String)",
            "openssl_version Nullable(String)",
            "setuptools_version Nullable(String)",
            "rustc_version Nullable(String)",
            "tls_protocol Nullable(String)",
            "tls_cipher Nullable(String)",
            "ci Nullable(Bool)",
            "details Tuple(installer " + PAIR + ", python Nullable(String), implementation " + PAIR + ", distro " + DISTRO
                    + ", system " + SYSTEM + ", cpu Nullable(String), openssl_version Nullable(String), "
                    + "setuptools_version Nullable(String), rustc_version Nullable(String), ci Nullable(Bool))");

    /** pypi_raw's columns, in order. */
    static final String RAW_COLUMNS = "timestamp, country_code, url, project, file, installer, python, implementation, distro, "
            + "system, cpu, openssl_version, setuptools_version, rustc_version, tls_protocol, tls_cipher, ci";

    /** A working table in pypi_raw's shape, where timestamp and project may be missing (so we can tell). */
    static String stageTable(String name) {
        return "CREATE TABLE " + name + " (timestamp Nullable(DateTime64(6, 'UTC')), country_code Nullable(String), "
                + "url Nullable(String), project Nullable(String), file " + FILE + ", installer " + PAIR + ", "
                + "python Nullable(String), implementation " + PAIR + ", distro " + DISTRO + ", system " + SYSTEM + ", "
                + "cpu Nullable(String), openssl_version Nullable(String), setuptools_version Nullable(String), "
                + "rustc_version Nullable(String), tls_protocol Nullable(String), tls_cipher Nullable(String), ci Nullable(Bool)) "
                + "ENGINE = MergeTree ORDER BY tuple()";
    }

    /** From {@link #INPUT_STRUCTURE} to pypi_raw's columns: the flat field when present, else the details one. */
    static final String MAPPING = """
            timestamp,
            country_code,
            url,
            coalesce(project, file.project) AS project,
            file,
            tuple(coalesce(installer.name, details.installer.name), coalesce(installer.version, details.installer.version)) AS installer,
            coalesce(python, details.python) AS python,
            tuple(coalesce(implementation.name, details.implementation.name),
                  coalesce(implementation.version, details.implementation.version)) AS implementation,
            tuple(coalesce(distro.name, details.distro.name), coalesce(distro.version, details.distro.version),
                  coalesce(distro.id, details.distro.id),
                  tuple(coalesce(distro.libc.lib, details.distro.libc.lib), coalesce(distro.libc.version, details.distro.libc.version))) AS distro,
            tuple(coalesce(system.name, details.system.name), coalesce(system.release, details.system.release)) AS system,
            coalesce(cpu, details.cpu) AS cpu,
            coalesce(openssl_version, details.openssl_version) AS openssl_version,
            coalesce(setuptools_version, details.setuptools_version) AS setuptools_version,
            coalesce(rustc_version, details.rustc_version) AS rustc_version,
            tls_protocol,
            tls_cipher,
            coalesce(ci, details.ci) AS ci""";

    private ExportShape() {
    }
}
