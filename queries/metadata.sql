-- metadata: key/value facts about the database (schema_version, is_demo, built_at, builder).
-- grain: one row per key. parameters: none.
select
    key,
    value,
from metadata
order by key
