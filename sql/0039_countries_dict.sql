-- dictGet('countries_dict', 'name', country_code) names a country in any query.
CREATE DICTIONARY IF NOT EXISTS countries_dict
(
    code String,
    name String
)
PRIMARY KEY code
SOURCE(CLICKHOUSE(TABLE 'countries'))
LIFETIME(MIN 3600 MAX 7200)
LAYOUT(COMPLEX_KEY_HASHED())
