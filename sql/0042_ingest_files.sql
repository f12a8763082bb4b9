-- The loader's ledger: one row per loaded source, identified by a fingerprint of its rows (count and
-- a sum of row hashes), so the same data is never counted twice, whatever its file name or format.
-- status 'publishing' marks a load interrupted after it began writing into pypi.
CREATE TABLE IF NOT EXISTS ingest_files
(
    fingerprint String,
    source      String,
    format      LowCardinality(String),
    rows        Int64,
    first_day   Date,
    last_day    Date,
    status      Enum8('publishing' = 1, 'loaded' = 2),
    loaded_by   LowCardinality(String),
    updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY fingerprint
