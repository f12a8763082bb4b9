-- Feeds pypi_downloads from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_mv TO pypi_downloads AS
SELECT
    project,
    count() AS count
FROM pypi
GROUP BY project
