-- settings_list: every setting of the authority for the search box, open ones first.
-- grain: one row per setting. parameters: $la_code.
select
    s.urn,
    s.name,
    s.phase,
    s.admissions_policy,
    coalesce(d.district_name, 'District unknown') as district_name,
    s.close_date,
from settings as s
left join districts as d on d.district_code = s.district_code
where s.la_code = $la_code
order by s.close_date is not null, s.name
