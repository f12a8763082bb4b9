-- Rows per day in each loaded source: what pypi should hold for that day (freshness, reconcile).
CREATE TABLE IF NOT EXISTS ingest_file_days
(
    fingerprint String,
    date        Date,
    rows        Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (fingerprint, date)
