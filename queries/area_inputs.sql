-- area_inputs: numerators and denominators summed over the settings of a selection.
-- grain: one row per measure input × breakdown (all, sen_support, ehcp, no_sen).
-- parameters: $year_code, $la_code, $districts, $phases, $admissions (lists as in
--   selection_summary). Settings whose value the source withheld are counted, not summed;
--   settings to which the input does not apply (z) are counted apart.
with chosen as (
    select s.urn,
    from settings as s
    where s.la_code = $la_code
        and ($any_district or list_contains($districts, s.district_code))
        and list_contains($phases, s.phase)
        and list_contains($admissions, s.admissions_policy)
)

select
    f.input,
    f.breakdown,
    sum(f.numerator) as numerator,
    sum(f.denominator) as denominator,
    count(*) as settings,
    count(*) filter (where f.numerator is null and f.missing_reason is distinct from 'z') as settings_withheld,
    count(*) filter (where f.missing_reason = 'z') as settings_not_applicable,
    string_agg(distinct f.missing_reason, ',') as missing_reasons,
from setting_facts as f
inner join chosen as c on c.urn = f.urn
where f.year_code = $year_code
group by f.input, f.breakdown
order by f.input, f.breakdown
