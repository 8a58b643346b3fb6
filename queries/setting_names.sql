-- setting_names: every loaded setting's name, phase and district, for matching published
-- names (the pilot register) to URNs. grain: one row per setting. parameters: none.
select
    s.urn,
    s.name,
    s.phase,
    d.district_name,
from settings as s
left join districts as d using (district_code)
order by s.urn
