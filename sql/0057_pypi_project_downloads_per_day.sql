-- Downloads per project, day and CI flag, laid out for one project's series (the chart of a package
-- page, its last day / week / month): partitioned by year with small granules (index_granularity 256),
-- so a project's three years read a few granules. pypi_downloads_per_day_by_ci holds the same counts
-- partitioned by month, for questions across all projects over a few days (the landing page's lists).
CREATE TABLE IF NOT EXISTS pypi_project_downloads_per_day
(
    date    Date,
    project String,
    ci      Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count   Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(date)
ORDER BY (project, date, ci)
SETTINGS index_granularity = 256
