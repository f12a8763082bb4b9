-- Downloads per project, day and installer (and CI flag): installer trends over time, such as uv vs pip
-- (ClickPy has no installer time series without the version dimension).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_installer
(
    date      Date,
    project   String,
    installer LowCardinality(String),
    ci        Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count     Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, installer, ci)
