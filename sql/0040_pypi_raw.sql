-- Staging table in the shape of PyPI's BigQuery export (bigquery-public-data.pypi.file_downloads,
-- with the details record flattened as ClickPy stages it). The Null engine stores nothing: each insert
-- only feeds pypi_raw_mv, which writes the normalized rows into pypi.
CREATE TABLE IF NOT EXISTS pypi_raw
(
    timestamp          DateTime64(6, 'UTC'),
    country_code       Nullable(String),
    url                Nullable(String),
    project            String,
    file               Tuple(filename Nullable(String), project Nullable(String), version Nullable(String), type Nullable(String)),
    installer          Tuple(name Nullable(String), version Nullable(String)),
    python             Nullable(String),
    implementation     Tuple(name Nullable(String), version Nullable(String)),
    distro             Tuple(name Nullable(String), version Nullable(String), id Nullable(String),
                             libc Tuple(lib Nullable(String), version Nullable(String))),
    system             Tuple(name Nullable(String), release Nullable(String)),
    cpu                Nullable(String),
    openssl_version    Nullable(String),
    setuptools_version Nullable(String),
    rustc_version      Nullable(String),
    tls_protocol       Nullable(String),
    tls_cipher         Nullable(String),
    ci                 Nullable(Bool)
)
ENGINE = Null
