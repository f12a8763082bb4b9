-- Feeds pypi_downloads_per_month from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_month_mv TO pypi_downloads_per_month AS
SELECT
    toStartOfMonth(date) AS month,
    project,
    ci,
    count() AS count
FROM pypi
GROUP BY month, project, ci
