-- Downloads per project per day and version (and CI flag).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_version
(
    date    Date,
    project String,
    version String,
    ci      Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count   Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, ci)
