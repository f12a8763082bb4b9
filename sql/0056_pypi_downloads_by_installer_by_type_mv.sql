-- Feeds pypi_downloads_by_installer_by_type from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_installer_by_type_mv TO pypi_downloads_by_installer_by_type AS
SELECT
    project,
    installer,
    type,
    ci,
    count() AS count
FROM pypi
GROUP BY project, installer, type, ci
