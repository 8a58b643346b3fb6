-- setting_inputs: each setting's numerator and denominator for one measure input, one year,
--   as published (suppressed values null with reason 'c').
-- grain: one row per setting × breakdown. parameters: $year_code, $input, $la_code,
--   $districts, $phases, $admissions (lists as in selection_summary).
select
    s.urn,
    s.name,
    s.phase,
    s.admissions_policy,
    s.district_code,
    d.district_name,
    s.resourced_provision,
    f.breakdown,
    f.numerator,
    f.denominator,
    f.missing_reason,
from published_facts as f
inner join selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
    on s.urn = f.urn
left join districts as d on d.district_code = s.district_code
where f.year_code = $year_code
    and f.input = $input
order by s.urn, f.breakdown
