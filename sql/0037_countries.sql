-- ISO 3166-1 alpha-2 code -> English country name (downloads carry only the code).
CREATE TABLE IF NOT EXISTS countries
(
    code String,
    name String
)
ENGINE = ReplacingMergeTree
ORDER BY code
