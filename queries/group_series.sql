-- group_series: numerators and denominators summed over a group of settings, every year.
-- grain: one row per academic year × input × breakdown. parameters: $la_code, $districts,
--   $any_district, $phases, $admissions (as in selection_summary).
select
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
where s.la_code = $la_code
    and ($any_district or list_contains($districts, s.district_code))
    and list_contains($phases, s.phase)
    and list_contains($admissions, s.admissions_policy)
group by f.year_code, f.input, f.breakdown
order by f.year_code, f.input, f.breakdown
