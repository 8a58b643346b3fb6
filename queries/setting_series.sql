-- setting_series: every fact held for one setting, all years, shaped like area_inputs, as
--   published (suppressed values null with reason 'c').
-- grain: one row per academic year × input × breakdown. parameters: $urn.
select
    f.year_code,
    f.input,
    f.breakdown,
    f.numerator,
    f.denominator,
    1 as settings,
    case when f.numerator is null and coalesce(f.missing_reason, '') <> 'z' then 1 else 0 end
        as settings_withheld,
    case when f.missing_reason = 'z' then 1 else 0 end as settings_not_applicable,
    f.missing_reason as missing_reasons,
from published_facts as f
where f.urn = $urn
order by f.year_code, f.input, f.breakdown
