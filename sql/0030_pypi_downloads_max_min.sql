-- First and last download day per project (ClickPy's max_min table): min/max re-aggregate, so an
-- AggregatingMergeTree with SimpleAggregateFunction columns keeps one row per project after merges.
CREATE TABLE IF NOT EXISTS pypi_downloads_max_min
(
    project  String,
    max_date SimpleAggregateFunction(max, Date),
    min_date SimpleAggregateFunction(min, Date)
)
ENGINE = AggregatingMergeTree
ORDER BY project
