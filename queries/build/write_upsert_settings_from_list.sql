-- write_upsert_settings_from_list: a school list without districts or positions (the
-- performance-tables spine) adds new settings and fills in settings no GIAS extract has
-- supplied; details from GIAS are never overwritten. grain: statement (loaders only).
-- parameters: none (reads staged_settings).
update settings as s
set
    laestab = t.laestab,
    name = t.name,
    establishment_type = t.establishment_type,
    phase = t.phase,
    admissions_policy = t.admissions_policy,
    la_code = t.la_code,
    open_date = t.open_date,
    close_date = t.close_date,
    age_low = t.age_low,
    age_high = t.age_high,
    sector = t.sector,
    source_id = t.source_id
from staged_settings as t
where
    s.urn = t.urn
    and s.source_id not in (
        select source_id from sources where dataset = 'GIAS establishment extract'
    );

insert into settings by name
select t.*
from staged_settings as t
anti join settings as s on s.urn = t.urn
