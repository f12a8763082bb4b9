-- Feeds pypi_downloads_per_day_by_installer from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_per_day_by_installer_mv TO pypi_downloads_per_day_by_installer AS
SELECT
    date,
    project,
    installer,
    ci,
    count() AS count
FROM pypi
GROUP BY date, project, installer, ci
