-- Feeds pypi_downloads_by_system from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_system_mv TO pypi_downloads_by_system AS
SELECT
    project,
    system,
    ci,
    count() AS count
FROM pypi
GROUP BY project, system, ci
