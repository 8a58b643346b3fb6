-- group_series: numerators and denominators summed over a group of settings, every year.
-- grain: one row per academic year × input × breakdown. parameters: $la_code, $districts,
--   $any_district, $phases, $admissions (as in selection_summary), $phase_key.
-- A group figure that disclosure control hides (suppressed_groups) comes back null with reason
-- 'c', its settings counted as withheld. $phase_key names the sidebar phase choice.
with totals as (
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
        string_agg(distinct f.missing_reason, ',' order by f.missing_reason) as missing_reasons,
    from setting_facts as f
    inner join selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
        on s.urn = f.urn
    group by f.year_code, f.input, f.breakdown
)

select
    t.year_code,
    t.input,
    t.breakdown,
    case when g.input is null then t.numerator end as numerator,
    case when g.input is null then t.denominator end as denominator,
    t.settings,
    case
        when g.input is null then t.settings_withheld
        else t.settings - t.settings_not_applicable
    end as settings_withheld,
    t.settings_not_applicable,
    case when g.input is null then t.missing_reasons else 'c' end as missing_reasons,
from totals as t
left join suppressed_groups as g
    on g.la_code = $la_code
        and g.geo = case when $any_district then 'all' else $districts[1] end
        and g.phase_key = $phase_key
        and g.year_code = t.year_code
        and g.input = t.input
        and g.family = case when t.breakdown = 'all' then 'all' else 'split' end
order by t.year_code, t.input, t.breakdown
