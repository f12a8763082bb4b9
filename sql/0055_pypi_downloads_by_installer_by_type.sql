-- Downloads per project, installer, file type and CI flag, all time: a package page's installer × file type table.
-- Laid out for one project's question: sorted project first, no partitions, small granules
-- (index_granularity 256), so a lookup reads a granule or two instead of one per monthly partition.
CREATE TABLE IF NOT EXISTS pypi_downloads_by_installer_by_type
(
    project      String,
    installer    LowCardinality(String),
    type         LowCardinality(String),
    ci           Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count        Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, installer, type, ci)
SETTINGS index_granularity = 256
