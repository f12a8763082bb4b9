-- Feeds pypi_downloads_per_day_by_version_by_python from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_version_by_python_mv TO pypi_downloads_per_day_by_version_by_python AS
SELECT
    date,
    project,
    version,
    python_minor,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, version, python_minor, ci
