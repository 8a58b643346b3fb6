-- latest_grades: each open setting's latest graded overall effectiveness (framework to
-- August 2024) on or before a date. Later frameworks are deliberately not merged in.
-- grain: one row per setting open on $as_of. parameters: $as_of (date), $la_code,
--   $districts, $phases, $admissions.
with chosen as (
    select
        s.urn,
        s.district_code,
        s.phase,
    from selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
    where (s.open_date is null or s.open_date <= $as_of)
        and (s.close_date is null or s.close_date >= $as_of)
),

graded as (
    select
        i.urn,
        i.overall_effectiveness,
        i.inspection_date,
        row_number() over (partition by i.urn order by i.inspection_date desc) as recency,
    from inspections as i
    where i.framework = 'overall_effectiveness'
        and i.overall_effectiveness is not null
        and i.inspection_date <= $as_of
)

select
    c.urn,
    c.district_code,
    c.phase,
    g.overall_effectiveness,
    g.inspection_date,
from chosen as c
left join graded as g on g.urn = c.urn and g.recency = 1
order by c.urn
