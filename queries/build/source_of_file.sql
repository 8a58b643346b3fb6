-- source_of_file: the sources row of a file loaded before as the same thing (same dataset,
-- checksum and vintage), so loading the same file again reuses its one row instead of adding a
-- second beside it; the same file given another --year is a new source.
-- grain: at most one row. parameters: $dataset, $sha256, $vintage.
select min(source_id) as source_id,
from sources
where dataset = $dataset and sha256 = $sha256 and vintage = $vintage
having count(*) > 0
