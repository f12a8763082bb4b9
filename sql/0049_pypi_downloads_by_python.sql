-- Downloads per project, Python minor and CI flag, all time: a package page's Python breakdown.
-- Laid out for one project's question: sorted project first, no partitions, small granules
-- (index_granularity 256), so a lookup reads a granule or two instead of one per monthly partition.
CREATE TABLE IF NOT EXISTS pypi_downloads_by_python
(
    project      String,
    python_minor LowCardinality(String),
    ci           Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count        Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, python_minor, ci)
SETTINGS index_granularity = 256
