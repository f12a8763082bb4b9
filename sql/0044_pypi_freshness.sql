-- Per-day state of the data, written by generate, ingest, reconcile and repair-day: expected rows (from
-- the sources, NULL when unknown), rows in pypi, and a status. The latest check of a day wins (FINAL).
-- The API reads the last complete day and the known gaps from here.
CREATE TABLE IF NOT EXISTS pypi_freshness
(
    date          Date,
    expected_rows Nullable(Int64),
    pypi_rows     Int64,
    status        Enum8('complete' = 1, 'short' = 2, 'missing' = 3, 'excess' = 4),
    checked_by    LowCardinality(String),
    checked_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(checked_at)
ORDER BY date
