-- A warehouse in ClickPy's layout, for tests of the gateway attached to a warehouse it does not own.
-- Written here from the facts ClickPy documents in its ClickHouse.md (github ClickHouse/clickpy):
-- database, table and column names, column types, engines, sorting keys and view queries are theirs;
-- the text is ours. Where ClickPy's layout has a defect, it is kept on purpose (marked DEFECT), because
-- the gateway must cope with the warehouse as it is, not as it should be.
-- Run as an administrator with `pypi` as the current database; statements end with a semicolon at the
-- end of a line.

CREATE DATABASE IF NOT EXISTS pypi;

-- The raw table: one row per download. Unlike our own layout it has no ci, filename or libc column.
CREATE TABLE pypi.pypi
(
    date Date,
    country_code LowCardinality(String),
    project String,
    type LowCardinality(String),
    installer LowCardinality(String),
    python_minor LowCardinality(String),
    system LowCardinality(String),
    version String
)
ENGINE = MergeTree
ORDER BY (project, date, version, country_code, python_minor, system);

-- Downloads per project, all time.
CREATE TABLE pypi.pypi_downloads
(
    project String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY project;

CREATE MATERIALIZED VIEW pypi.pypi_downloads_mv TO pypi.pypi_downloads
(
    project String,
    count Int64
)
AS SELECT project, count() AS count
   FROM pypi.pypi
   GROUP BY project;

-- Downloads per project and version, all time.
CREATE TABLE pypi.pypi_downloads_by_version
(
    project String,
    version String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_by_version_mv TO pypi.pypi_downloads_by_version
(
    project String,
    version String,
    count Int64
)
AS SELECT project, version, count() AS count
   FROM pypi.pypi
   GROUP BY project, version;

-- Downloads per project and day.
CREATE TABLE pypi.pypi_downloads_per_day
(
    date Date,
    project String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, date);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_mv TO pypi.pypi_downloads_per_day
(
    date Date,
    project String,
    count Int64
)
AS SELECT date, project, count() AS count
   FROM pypi.pypi
   GROUP BY date, project;

-- Downloads per project, version and day.
CREATE TABLE pypi.pypi_downloads_per_day_by_version
(
    date Date,
    project String,
    version String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_mv TO pypi.pypi_downloads_per_day_by_version
(
    date Date,
    project String,
    version String,
    count Int64
)
AS SELECT date, project, version, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version;

-- ... by country (a plain String here, LowCardinality in the raw table).
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_country
(
    date Date,
    project String,
    version String,
    country_code String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, country_code);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_country_mv TO pypi.pypi_downloads_per_day_by_version_by_country
(
    date Date,
    project String,
    version String,
    country_code String,
    count Int64
)
AS SELECT date, project, version, country_code, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, country_code;

-- ... by file type.
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_file_type
(
    date Date,
    project String,
    version String,
    type LowCardinality(String),
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, type);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_file_type_mv TO pypi.pypi_downloads_per_day_by_version_by_file_type
(
    date Date,
    project String,
    version String,
    type LowCardinality(String),
    count Int64
)
AS SELECT date, project, version, type, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, type;

-- ... by Python minor version.
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_python
(
    date Date,
    project String,
    version String,
    python_minor String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, python_minor);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_python_mv TO pypi.pypi_downloads_per_day_by_version_by_python
(
    date Date,
    project String,
    version String,
    python_minor String,
    count Int64
)
AS SELECT date, project, version, python_minor, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, python_minor;

-- ... by installer and file type.
-- DEFECT (ClickPy's): type is grouped by but is not in the sorting key, so a merge adds up the rows of
-- one (project, version, date, installer) that differ only in type and keeps one of their types: after
-- merges, counts by type from this table are wrong (totals by installer stay right).
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_installer_by_type
(
    project String,
    version String,
    date Date,
    installer String,
    type LowCardinality(String),
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, installer);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_installer_by_type_mv TO pypi.pypi_downloads_per_day_by_version_by_installer_by_type
(
    project String,
    version String,
    date Date,
    installer String,
    type LowCardinality(String),
    count Int64
)
AS SELECT project, version, date, installer, type, count() AS count
   FROM pypi.pypi
   GROUP BY project, version, date, installer, type;

-- ... by operating system.
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_system
(
    date Date,
    project String,
    version String,
    system String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, system);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_system_mv TO pypi.pypi_downloads_per_day_by_version_by_system
(
    date Date,
    project String,
    version String,
    system String,
    count Int64
)
AS SELECT date, project, version, system, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, system;

-- ... by installer, file type and country (here every grouped column is in the sorting key).
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_installer_by_type_by_country
(
    project String,
    version String,
    date Date,
    installer String,
    type LowCardinality(String),
    country_code LowCardinality(String),
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, country_code, installer, type);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_installer_by_type_by_country_mv TO pypi.pypi_downloads_per_day_by_version_by_installer_by_type_by_country
(
    project String,
    version String,
    date Date,
    installer String,
    type LowCardinality(String),
    country_code LowCardinality(String),
    count Int64
)
AS SELECT project, version, date, installer, type, country_code, count() AS count
   FROM pypi.pypi
   GROUP BY project, version, date, installer, type, country_code;

-- ... by Python minor version and country.
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_python_by_country
(
    date Date,
    project String,
    version String,
    python_minor String,
    country_code LowCardinality(String),
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, country_code, python_minor);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_python_by_country_mv TO pypi.pypi_downloads_per_day_by_version_by_python_by_country
(
    date Date,
    project String,
    version String,
    python_minor String,
    country_code LowCardinality(String),
    count Int64
)
AS SELECT date, project, version, python_minor, country_code, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, python_minor, country_code;

-- ... by operating system and country.
CREATE TABLE pypi.pypi_downloads_per_day_by_version_by_system_by_country
(
    date Date,
    project String,
    version String,
    system String,
    country_code String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (project, version, date, country_code, system);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_by_version_by_system_by_country_mv TO pypi.pypi_downloads_per_day_by_version_by_system_by_country
(
    date Date,
    project String,
    version String,
    system String,
    country_code String,
    count Int64
)
AS SELECT date, project, version, system, country_code, count() AS count
   FROM pypi.pypi
   GROUP BY date, project, version, system, country_code;

-- First and last day with downloads per project.
CREATE TABLE pypi.pypi_downloads_max_min
(
    project String,
    max_date SimpleAggregateFunction(max, Date),
    min_date SimpleAggregateFunction(min, Date)
)
ENGINE = AggregatingMergeTree
ORDER BY project;

-- ClickPy's document leaves the minimum unnamed (minSimpleState(date) without AS min_date); ClickHouse 26.7
-- refuses that view (code 8, THERE_IS_NO_COLUMN: "SELECT query outputs column with name
-- 'minSimpleState(date)', which is not found in the target table"), so the name is given here.
CREATE MATERIALIZED VIEW pypi.pypi_downloads_max_min_mv TO pypi.pypi_downloads_max_min
(
    project String,
    max_date SimpleAggregateFunction(max, Date),
    min_date SimpleAggregateFunction(min, Date)
)
AS SELECT project, maxSimpleState(date) AS max_date, minSimpleState(date) AS min_date
   FROM pypi.pypi
   GROUP BY project;

-- Downloads per month, recent months only.
-- DEFECT (ClickPy's): sorted by (month, project), not by project first, so one project's months are
-- spread over the table; and the view keeps only days strictly after the start of the month six months
-- before the insert (date > toStartOfMonth(now()) - 6 months): the oldest month lacks its first day and
-- older months never arrive. What it holds depends on when the rows were inserted.
CREATE TABLE pypi.pypi_downloads_per_month
(
    month Date,
    project String,
    count Int64
)
ENGINE = SummingMergeTree
ORDER BY (month, project);

CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_month_mv TO pypi.pypi_downloads_per_month
(
    month Date,
    project String,
    count Int64
)
AS SELECT toStartOfMonth(date) AS month, project, count() AS count
   FROM pypi.pypi
   WHERE date > (toStartOfMonth(now()) - toIntervalMonth(6))
   GROUP BY month, project;

-- Package metadata, one row per released file (the public export's columns).
CREATE TABLE pypi.projects
(
    metadata_version String,
    name String,
    version String,
    summary String,
    description String,
    description_content_type String,
    author String,
    author_email String,
    maintainer String,
    maintainer_email String,
    license String,
    keywords String,
    classifiers Array(String),
    platform Array(String),
    home_page String,
    download_url String,
    requires_python String,
    requires Array(String),
    provides Array(String),
    obsoletes Array(String),
    requires_dist Array(String),
    provides_dist Array(String),
    obsoletes_dist Array(String),
    requires_external Array(String),
    project_urls Array(String),
    uploaded_via String,
    upload_time DateTime64,
    filename String,
    size Int64,
    path String,
    python_version String,
    packagetype String,
    comment_text String,
    has_signature Bool,
    md5_digest String,
    sha256_digest String,
    blake2_256_digest String
)
ENGINE = MergeTree
ORDER BY name;

-- Country names by ISO 3166 alpha-2 code.
CREATE TABLE pypi.countries
(
    name String,
    code String
)
ENGINE = MergeTree
ORDER BY code;

-- The source names the table without a database, as ClickPy's does: it resolves in the current one (pypi).
CREATE DICTIONARY pypi.countries_dict
(
    name String,
    code String
)
PRIMARY KEY code
SOURCE(CLICKHOUSE(TABLE 'countries'))
LIFETIME(MIN 0 MAX 300)
LAYOUT(COMPLEX_KEY_HASHED());

-- Latest upload per project.
CREATE DICTIONARY pypi.last_updated_dict
(
    name String,
    last_update DateTime64(3)
)
PRIMARY KEY name
SOURCE(CLICKHOUSE(QUERY 'SELECT name, max(upload_time) AS last_update FROM pypi.projects GROUP BY name'))
LIFETIME(MIN 0 MAX 300)
LAYOUT(COMPLEX_KEY_HASHED());
