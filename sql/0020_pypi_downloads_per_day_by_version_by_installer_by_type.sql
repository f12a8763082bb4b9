-- Downloads per project, day, version, installer and file type (and CI flag).
-- Unlike ClickPy's table of the same name, type is in the sorting key: a grouped column left out of
-- ORDER BY makes SummingMergeTree merge rows of different types into one.
CREATE TABLE IF NOT EXISTS pypi_downloads_per_day_by_version_by_installer_by_type
(
    date      Date,
    project   String,
    version   String,
    installer LowCardinality(String),
    type      LowCardinality(String),
    ci        Enum8('false' = 0, 'true' = 1, 'unknown' = 2),
    count     Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(date)
ORDER BY (project, date, version, installer, type, ci)
