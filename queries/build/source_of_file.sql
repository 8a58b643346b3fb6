-- source_of_file: the sources row of a file loaded before (same dataset, same checksum), so
-- loading the same file again reuses its one row instead of adding a second beside it.
-- grain: at most one row. parameters: $dataset, $sha256.
select min(source_id) as source_id,
from sources
where dataset = $dataset and sha256 = $sha256
having count(*) > 0
