-- district_series: numerators and denominators summed per district, for one academic year
-- ($year_code) or every year ($year_code null, for trends).
-- grain: one row per district × year × input × breakdown. parameters: $year_code (or null),
--   $la_code, $phases, $admissions (lists). Districts with no settings of those phases return
--   no rows.
select
    s.district_code,
    d.district_name,
    f.year_code,
    f.input,
    f.breakdown,
    sum(f.numerator) as numerator,
    sum(f.denominator) as denominator,
    count(*) as settings,
    count(*) filter (
        where f.numerator is null and f.missing_reason is distinct from 'z'
    ) as settings_withheld,
    count(*) filter (where f.missing_reason = 'z') as settings_not_applicable,
    string_agg(distinct f.missing_reason, ',') as missing_reasons,
from setting_facts as f
inner join settings as s on s.urn = f.urn
inner join districts as d on d.district_code = s.district_code
where ($year_code is null or f.year_code = $year_code)
    and s.la_code = $la_code
    and list_contains($phases, s.phase)
    and list_contains($admissions, s.admissions_policy)
group by all
order by d.district_name, f.year_code, f.input, f.breakdown
