-- Downloads per project per day and CI flag: the time series with CI downloads excluded or alone (ClickPy has no CI dimension).
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_ci
(
    date    Date,
    project String,
    ci      Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count   Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, ci)
