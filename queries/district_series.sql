-- district_series: numerators and denominators per district for every academic year.
-- grain: one row per district × year × input × breakdown. parameters: $la_code, $phases,
--   $admissions (lists).
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
where s.la_code = $la_code
    and list_contains($phases, s.phase)
    and list_contains($admissions, s.admissions_policy)
group by all
order by d.district_name, f.year_code, f.input, f.breakdown
