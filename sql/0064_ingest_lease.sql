-- Who may follow (load new files into) this warehouse: one follower at a time. Each takeover claims the
-- next term; among the claims of a term the earliest wins (claimed_at, then holder), so contenders that
-- read the same rows agree. The winner renews its row (expires_at) while it runs; anyone may claim the
-- next term once it has expired. A best-effort lease, not a fencing token: see README, "Following a folder".
CREATE TABLE IF NOT EXISTS ingest_lease
(
    name        String,
    term        UInt64,
    holder      String,
    claimed_at  DateTime64(6, 'UTC'),
    expires_at  DateTime64(3, 'UTC'),
    written_at  DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
ORDER BY (name, term, holder)
