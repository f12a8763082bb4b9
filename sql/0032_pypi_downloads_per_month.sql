-- Downloads per month, project and CI flag: the landing page's trends (top, hot, emerging) scan a few
-- months across all projects, so month leads the key here; a package's own series reads the day tables.
CREATE TABLE IF NOT EXISTS pypi_downloads_per_month
(
    month   Date,
    project String,
    ci      Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count   Int64
)
ENGINE = SummingMergeTree
ORDER BY (month, project, ci)
