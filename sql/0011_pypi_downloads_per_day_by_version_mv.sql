-- Feeds pypi_downloads_per_day_by_version from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_version_mv TO pypi_downloads_per_day_by_version AS
SELECT
    date,
    project,
    version,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, version, ci
