-- The transform from the export shape into pypi: NULLs become empty strings, python "3.10.12" becomes
-- python_minor "3.10", the libc record a tuple, and the nullable ci flag the ci enum (NULL = unknown).
CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_raw_mv TO pypi AS
SELECT
    toDate(timestamp) AS date,
    ifNull(country_code, '') AS country_code,
    project,
    ifNull(file.type, '') AS type,
    ifNull(installer.name, '') AS installer,
    extract(ifNull(python, ''), '^[0-9]+[.][0-9]+') AS python_minor,
    ifNull(system.name, '') AS system,
    ifNull(file.version, '') AS version,
    CAST(multiIf(ci IS NULL, 'unknown', ci, 'true', 'false'), 'Enum8(\'false\' = 0, \'true\' = 1, \'unknown\' = 2)') AS ci,
    ifNull(file.filename, '') AS filename,
    tuple(ifNull(distro.libc.lib, ''), ifNull(distro.libc.version, '')) AS libc
FROM pypi_raw
