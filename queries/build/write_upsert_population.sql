-- write_upsert_population: load staged population estimates; an area × year × age already
-- held is replaced, so loading a file twice changes nothing and a revised estimate wins.
-- grain: statement (loaders only). parameters: none (reads staged_population).
delete from population as p
using staged_population as t
where p.area_code = t.area_code and p.mid_year = t.mid_year and p.age = t.age;

insert into population by name
select
    t.area_code,
    t.area_name,
    t.mid_year,
    t.age,
    t.persons,
    t.source_id,
from staged_population as t
