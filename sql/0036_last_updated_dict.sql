-- name -> time of the project's last upload, for "needing a refresh" and "recent releases" without a
-- join; reloaded every few minutes, and by the loaders right after they write projects.
CREATE DICTIONARY IF NOT EXISTS last_updated_dict
(
    name        String,
    last_update DateTime64(6, 'UTC')
)
PRIMARY KEY name
SOURCE(CLICKHOUSE(TABLE 'projects_last_update'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(COMPLEX_KEY_HASHED())
