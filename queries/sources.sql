-- sources: provenance of everything loaded (what, from whom, which vintage, checksum, when).
-- grain: one row per loaded source. parameters: none.
select
    source_id,
    dataset,
    publisher,
    vintage,
    file_name,
    sha256,
    row_count,
    loaded_at,
    is_fictional,
    notes,
from sources
order by source_id
