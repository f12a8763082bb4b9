-- The loader's ledger learns two things about each load (issue 14):
-- signature: what the file looked like when it was loaded (local file: size, modification time and file key),
--   so loading the same unchanged file again is recognised from its metadata without reading and hashing it;
--   empty when unknown (a URL, a repair, a file that changed while it was read).
-- stage: the working table the load publishes from, so a 'publishing' row can be told apart from a load
--   that is still writing (its INSERT names the table in system.processes) and one that died.
ALTER TABLE ingest_files
    ADD COLUMN IF NOT EXISTS signature String DEFAULT '',
    ADD COLUMN IF NOT EXISTS stage String DEFAULT ''
