-- write_authority_inputs: every authority's inputs summed over its settings of each phase
-- choice (authority_inputs), with disclosure control's decision for the group: run by every
-- load after suppressed_groups is written. parameters: none.
-- The sums are area_inputs' for a whole authority; `hidden` is its left join on
-- suppressed_groups (geo 'all').
insert into authority_inputs
with summed as (
    select
        s.la_code,
        p.phase_key,
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
    inner join settings as s on s.urn = f.urn
    inner join phase_choices as p
        on p.phase = s.phase and p.admissions_policy = s.admissions_policy
    group by s.la_code, p.phase_key, f.year_code, f.input, f.breakdown
)

select
    m.la_code,
    m.phase_key,
    m.year_code,
    m.input,
    m.breakdown,
    m.numerator,
    m.denominator,
    m.settings,
    m.settings_withheld,
    m.settings_not_applicable,
    m.missing_reasons,
    g.input is not null as hidden,
from summed as m
left join suppressed_groups as g
    on g.la_code = m.la_code
        and g.geo = 'all'
        and g.phase_key = m.phase_key
        and g.year_code = m.year_code
        and g.input = m.input
        and g.family = case when m.breakdown = 'all' then 'all' else 'split' end
