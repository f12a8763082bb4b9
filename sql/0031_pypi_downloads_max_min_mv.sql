-- Feeds pypi_downloads_max_min from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_max_min_mv TO pypi_downloads_max_min AS
SELECT
    project,
    max(date) AS max_date,
    min(date) AS min_date
FROM pypi
GROUP BY project
