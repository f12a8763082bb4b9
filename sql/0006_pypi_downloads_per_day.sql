-- Downloads per project per day: the download-over-time chart of a package page.
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day
(
    date    Date,
    project String,
    count   Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date)
