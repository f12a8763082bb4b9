-- What the folder follower (pypi.follow.directory, the follow command) decided about each file it saw,
-- keyed by its path; the latest decision wins (FINAL). Size and modification time let a restarted
-- follower recognise a file it has already handled without reading it; a changed file is looked at again.
-- status: loaded (its rows were written through this file), duplicate (the same rows were already loaded
-- from another file; nothing added), quarantined (broken or refused; reason says why and what to do).
CREATE TABLE IF NOT EXISTS ingest_follow_files
(
    source      String,
    size        Int64,
    modified    DateTime64(3, 'UTC'),
    status      Enum8('loaded' = 1, 'duplicate' = 2, 'quarantined' = 3),
    rows        Int64,
    reason      String,
    holder      LowCardinality(String),
    updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source
