-- Repository name (owner/name) -> GitHub's numeric id (kept as text, as in github_events): how a name found
-- in a project's metadata reaches github_events' sorting key. A renamed repository keeps its id; a reused
-- name gets a new one (readers take the largest, the newest).
CREATE TABLE IF NOT EXISTS ${github}.repo_name_to_id
(
    repo_name String,
    repo_id   String
)
ENGINE = ReplacingMergeTree
ORDER BY (repo_name, repo_id)
