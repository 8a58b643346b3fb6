-- write_upsert_settings: GIAS details replace what is known of existing settings, and new
-- settings are added. grain: statement (loaders only). parameters: none (reads staged_settings).
update settings as s
set
    laestab = t.laestab,
    name = t.name,
    establishment_type = t.establishment_type,
    phase = t.phase,
    admissions_policy = t.admissions_policy,
    district_code = t.district_code,
    la_code = t.la_code,
    latitude = t.latitude,
    longitude = t.longitude,
    open_date = t.open_date,
    close_date = t.close_date,
    age_low = t.age_low,
    age_high = t.age_high,
    sector = t.sector,
    resourced_provision = t.resourced_provision,
    source_id = t.source_id
from staged_settings as t
where s.urn = t.urn;

insert into settings by name
select t.*
from staged_settings as t
anti join settings as s on s.urn = t.urn
