-- selection_summary: how many settings and pupils are in a selection in one academic year.
-- grain: one row. parameters: $year_code, $la_code, $districts (list of ONS codes),
--   $any_district (true: all, including settings whose district is unknown),
--   $phases (list of phases), $admissions (list of admissions policies).
with chosen as (
    select s.urn,
    from selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
),

pupils as (
    select
        f.urn,
        f.denominator as pupils,
    from setting_facts as f
    inner join chosen as c on c.urn = f.urn
    where f.year_code = $year_code
        and f.input = 'ehcp'
        and f.breakdown = 'all'
)

select
    count(*) as settings,
    coalesce(sum(pupils), 0) as pupils,
from pupils
