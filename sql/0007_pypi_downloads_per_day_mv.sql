-- Feeds pypi_downloads_per_day from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_mv TO pypi_downloads_per_day AS
SELECT
    date,
    project,
    count() AS count
FROM pypi
GROUP BY date, project
