-- table_names: the base tables of the open database, to check a file holds the whole schema.
-- grain: one row per table. parameters: none.
select
    table_name,
from information_schema.tables
where table_type = 'BASE TABLE'
order by table_name
