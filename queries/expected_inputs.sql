-- expected_inputs: every loaded setting's figure for one measure input in one year, beside
--   its intake (free-school-meal and EAL counts over their denominators) and what it is
--   compared within (phase, admissions policy), as published: a suppressed value is null.
--   The model of expected values is fitted on all of them (every authority loaded).
-- grain: one row per setting with a figure or an intake that year.
-- parameters: $year_code, $input.
with wide as (
    select
        f.urn,
        max(f.numerator) filter (where f.input = $input) as observed,
        max(f.denominator) filter (where f.input = $input) as pupils,
        max(f.missing_reason) filter (where f.input = $input) as observed_reason,
        max(f.numerator) filter (where f.input = 'fsm') as fsm,
        max(f.denominator) filter (where f.input = 'fsm') as fsm_pupils,
        max(f.numerator) filter (where f.input = 'eal') as eal,
        max(f.denominator) filter (where f.input = 'eal') as eal_pupils,
        bool_or(f.input = 'fsm' and f.missing_reason is not null)
        or bool_or(f.input = 'eal' and f.missing_reason is not null) as intake_withheld,
    from published_facts as f
    where f.year_code = $year_code
        and f.breakdown = 'all'
        and f.input in ($input, 'fsm', 'eal')
    group by f.urn
)

select
    w.*,
    s.la_code,
    s.phase,
    s.admissions_policy,
from wide as w
inner join settings as s on s.urn = w.urn
order by w.urn
