-- One row per download, as ClickPy keeps it, plus the fields ClickPy added in 2025 (ci, filename, libc).
-- Sorted project first so a package page reads a narrow range; every aggregate hangs off this table.
CREATE TABLE IF NOT EXISTS pypi
(
    date         Date,
    country_code LowCardinality(String),
    project      String,
    type         LowCardinality(String),
    installer    LowCardinality(String),
    python_minor LowCardinality(String),
    system       LowCardinality(String),
    version      String,
    ci           Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    filename     String,
    libc         Tuple(lib LowCardinality(String), version LowCardinality(String))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, country_code, python_minor, system)
