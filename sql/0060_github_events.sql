-- One row per GitHub event (GH Archive, gharchive.org), with ClickPy's names and types for the columns the
-- gateway reads (ClickPy's table has ~60 more payload columns; a reader of this subset works on both).
-- Sorted by repository first: every question names its repositories.
CREATE TABLE IF NOT EXISTS ${github}.github_events
(
    file_time          DateTime,
    event_type         Enum8('CommitCommentEvent' = 1, 'CreateEvent' = 2, 'DeleteEvent' = 3, 'ForkEvent' = 4,
                             'GollumEvent' = 5, 'IssueCommentEvent' = 6, 'IssuesEvent' = 7, 'MemberEvent' = 8,
                             'PublicEvent' = 9, 'PullRequestEvent' = 10, 'PullRequestReviewCommentEvent' = 11,
                             'PushEvent' = 12, 'ReleaseEvent' = 13, 'SponsorshipEvent' = 14, 'WatchEvent' = 15,
                             'GistEvent' = 16, 'FollowEvent' = 17, 'DownloadEvent' = 18, 'PullRequestReviewEvent' = 19,
                             'ForkApplyEvent' = 20, 'Event' = 21, 'TeamAddEvent' = 22),
    actor_login        LowCardinality(String),
    repo_name          LowCardinality(String),
    repo_id            LowCardinality(String),
    created_at         DateTime,
    action             Enum8('none' = 0, 'created' = 1, 'added' = 2, 'edited' = 3, 'deleted' = 4, 'opened' = 5,
                             'closed' = 6, 'reopened' = 7, 'assigned' = 8, 'unassigned' = 9, 'labeled' = 10,
                             'unlabeled' = 11, 'review_requested' = 12, 'review_request_removed' = 13,
                             'synchronize' = 14, 'started' = 15, 'published' = 16, 'update' = 17, 'create' = 18,
                             'fork' = 19, 'merged' = 20),
    number             UInt32,
    title              String,
    creator_user_login LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (repo_id, event_type, created_at)
