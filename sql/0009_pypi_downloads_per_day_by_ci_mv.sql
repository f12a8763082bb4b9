-- Feeds pypi_downloads_per_day_by_ci from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_ci_mv TO pypi_downloads_per_day_by_ci AS
SELECT
    date,
    project,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, ci
