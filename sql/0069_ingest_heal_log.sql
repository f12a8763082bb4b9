-- What self-healing (pypi.heal.*) found and did, one row per day it looked at that was not complete:
-- the day, the reconcile verdict (short, missing, excess, or drift: pypi complete but the per-day
-- aggregate disagrees), what the healer did (repaired, reported, failed), the file it used, and when.
-- The API lists the most recent rows (Stats.repairs); kept for a year.
CREATE TABLE IF NOT EXISTS ingest_heal_log
(
    date         Date,
    found        LowCardinality(String),
    expected     Nullable(Int64),
    recorded     Int64,
    action       Enum8('repaired' = 1, 'reported' = 2, 'failed' = 3),
    source       String,
    rows_after   Nullable(Int64),
    detail       String,
    healed_at    DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (healed_at, date)
TTL toDateTime(healed_at) + INTERVAL 1 YEAR
