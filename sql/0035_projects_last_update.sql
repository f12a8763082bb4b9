-- Last upload per project: the source of last_updated_dict (a view, so the dictionary needs no
-- database name: dictionary sources resolve plain table names in their own database).
CREATE VIEW IF NOT EXISTS projects_last_update AS
SELECT
    name,
    max(upload_time) AS last_update
FROM projects
GROUP BY name
