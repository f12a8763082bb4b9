-- The entity tag an http(s) source gave for a file (ETag header or manifest field), kept with its size and
-- modification time (Last-Modified) so a re-listed URL is recognised without fetching it, and a URL whose
-- tag changed is looked at again (and refused by the ledger if it was loaded with other content).
-- Empty for files of a local folder.
ALTER TABLE ingest_follow_files ADD COLUMN IF NOT EXISTS etag String DEFAULT '' AFTER modified
