-- setting_detail: one setting's context, with its latest pupil count.
-- grain: one row (none if the URN is unknown). parameters: $urn.
select
    s.urn,
    s.laestab,
    s.name,
    s.establishment_type,
    s.phase,
    s.admissions_policy,
    s.district_code,
    coalesce(d.district_name, 'District unknown') as district_name,
    s.la_code,
    s.latitude,
    s.longitude,
    s.open_date,
    s.close_date,
    s.age_low,
    s.age_high,
    s.sector,
    s.resourced_provision,
    s.is_fictional,
    (
        select f.denominator
        from setting_facts as f
        where f.urn = s.urn and f.input = 'ehcp' and f.breakdown = 'all'
        order by f.year_code desc
        limit 1
    ) as latest_pupils,
    (
        select max(f.year_code)
        from setting_facts as f
        where f.urn = s.urn and f.input = 'ehcp'
    ) as latest_year,
from settings as s
left join districts as d on d.district_code = s.district_code
where s.urn = $urn
