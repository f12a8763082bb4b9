-- Feeds pypi_downloads_per_day_by_version_by_system from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_version_by_system_mv TO pypi_downloads_per_day_by_version_by_system AS
SELECT
    date,
    project,
    version,
    system,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, version, system, ci
