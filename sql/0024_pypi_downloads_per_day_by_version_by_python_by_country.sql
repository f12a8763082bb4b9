-- Downloads per project, day, version, Python minor and country (and CI flag).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_version_by_python_by_country
(
    date         Date,
    project      String,
    version      String,
    python_minor LowCardinality(String),
    country_code LowCardinality(String),
    ci           Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count        Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, python_minor, country_code, ci)
