-- Feeds pypi_downloads_by_ci from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_ci_mv TO pypi_downloads_by_ci AS
SELECT
    project,
    ci,
    count() AS count
FROM pypi
GROUP BY project, ci
