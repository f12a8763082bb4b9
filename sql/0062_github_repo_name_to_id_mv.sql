-- Fills repo_name_to_id from every insert into github_events.
CREATE MATERIALIZED VIEW IF NOT EXISTS ${github}.repo_name_to_id_mv TO ${github}.repo_name_to_id AS
SELECT repo_name, repo_id
FROM ${github}.github_events
WHERE repo_name != '' AND repo_id != ''
GROUP BY repo_name, repo_id
