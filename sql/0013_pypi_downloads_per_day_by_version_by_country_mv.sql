-- Feeds pypi_downloads_per_day_by_version_by_country from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_version_by_country_mv TO pypi_downloads_per_day_by_version_by_country AS
SELECT
    date,
    project,
    version,
    country_code,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, version, country_code, ci
