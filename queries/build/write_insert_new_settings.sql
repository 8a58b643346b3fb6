-- write_insert_new_settings: add settings known only from a data file ("district unknown"
-- until a GIAS extract supplies it); existing settings are left as they are.
-- grain: statement (loaders only). parameters: none (reads staged_settings).
insert into settings by name
select t.*
from staged_settings as t
anti join settings as s on s.urn = t.urn
