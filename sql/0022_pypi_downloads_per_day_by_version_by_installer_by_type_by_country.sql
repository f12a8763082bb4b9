-- Downloads per project, day, version, installer, file type and country (and CI flag).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_version_by_installer_by_type_by_country
(
    date         Date,
    project      String,
    version      String,
    installer    LowCardinality(String),
    type         LowCardinality(String),
    country_code LowCardinality(String),
    ci           Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count        Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, installer, type, country_code, ci)
