-- Downloads per project, day, version and operating system (and CI flag).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_version_by_system
(
    date    Date,
    project String,
    version String,
    system  LowCardinality(String),
    ci      Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count   Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, system, ci)
