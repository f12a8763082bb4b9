-- Feeds pypi_downloads_by_python from every insert into pypi.
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_downloads_by_python_mv TO pypi_downloads_by_python AS
SELECT
    project,
    python_minor,
    ci,
    count() AS count
FROM pypi
GROUP BY project, python_minor, ci
