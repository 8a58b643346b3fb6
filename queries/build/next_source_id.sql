-- next_source_id: the next free source id, for loaders that add to an existing database.
-- grain: one row. parameters: none.
select coalesce(max(source_id), 0) + 1 as next_id,
from sources
