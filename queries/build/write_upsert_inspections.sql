-- write_upsert_inspections: load staged inspections and their judgements; an inspection
-- already held for the same setting and day is replaced, so loading a file twice changes
-- nothing. grain: statement (loaders only). parameters: none (reads staged_inspections and
-- staged_judgements, linked by row_key).
delete from inspection_judgements
where inspection_id in (
        select i.inspection_id
        from inspections as i
        inner join staged_inspections as t
            on i.urn = t.urn and i.inspection_date = t.inspection_date
    );

delete from inspections as i
using staged_inspections as t
where i.urn = t.urn and i.inspection_date = t.inspection_date;

create temporary table staged_inspection_ids as
select
    t.row_key,
    coalesce((select max(inspection_id) from inspections), 0)
    + row_number() over (order by t.row_key) as inspection_id,
from staged_inspections as t;

insert into inspections by name
select
    k.inspection_id,
    t.* exclude (row_key),
from staged_inspections as t
inner join staged_inspection_ids as k using (row_key);

insert into inspection_judgements by name
select
    k.inspection_id,
    j.* exclude (row_key),
from staged_judgements as j
inner join staged_inspection_ids as k using (row_key);

drop table staged_inspection_ids
