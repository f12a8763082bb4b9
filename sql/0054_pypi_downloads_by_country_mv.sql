-- Feeds pypi_downloads_by_country from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_country_mv TO pypi_downloads_by_country AS
SELECT
    project,
    country_code,
    ci,
    count() AS count
FROM pypi
GROUP BY project, country_code, ci
