-- write_insert_districts: districts named by a school list that the database does not hold yet
-- (a national GIAS extract names every English district), added before their settings.
-- grain: statement (loaders only). parameters: none (reads staged_districts).
insert into districts by name
select
    t.district_code,
    t.district_name,
    t.la_code,
from staged_districts as t
anti join districts as d on d.district_code = t.district_code
