-- Downloads per project, all time: the smallest table, answers "total downloads of X".
CREATE TABLE IF NOT EXISTS pypi_downloads
(
    project String,
    count   Int64
)
ENGINE = SummingMergeTree
ORDER BY project
