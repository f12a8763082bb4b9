-- Feeds pypi_project_downloads_per_day from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_project_downloads_per_day_mv TO pypi_project_downloads_per_day AS
SELECT
    date,
    project,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, ci
