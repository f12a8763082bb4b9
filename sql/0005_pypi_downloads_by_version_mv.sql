-- Feeds pypi_downloads_by_version from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_version_mv TO pypi_downloads_by_version AS
SELECT
    project,
    version,
    count() AS count
FROM pypi
GROUP BY project, version
