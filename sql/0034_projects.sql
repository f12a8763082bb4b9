-- Package metadata, one row per uploaded file, in the shape of PyPI's distribution metadata
-- (BigQuery bigquery-public-data.pypi.distribution_metadata). name is the PEP 503-normalized project
-- name, as in pypi.project. Loading the same file again replaces its row.
CREATE TABLE IF NOT EXISTS projects
(
    name                     String,
    version                  String,
    summary                  String,
    description_content_type LowCardinality(String),
    author                   String,
    author_email             String,
    maintainer               String,
    maintainer_email         String,
    license                  String,
    keywords                 String,
    classifiers              Array(LowCardinality(String)),
    home_page                String,
    download_url             String,
    project_urls             Array(String),
    requires_python          String,
    requires_dist            Array(String),
    upload_time              DateTime64(6, 'UTC'),
    filename                 String,
    size                     UInt64,
    packagetype              LowCardinality(String),
    python_version           LowCardinality(String),
    uploaded_via             LowCardinality(String),
    sha256_digest            String
)
ENGINE = ReplacingMergeTree
ORDER BY (name, version, filename)
