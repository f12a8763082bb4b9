-- Downloads per project and version, all time: the version table of a package page.
CREATE TABLE IF NOT EXISTS pypi_downloads_by_version
(
    project String,
    version String,
    count   Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version)
