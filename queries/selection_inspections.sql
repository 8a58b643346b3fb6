-- selection_inspections: every inspection of the selection's settings open on $as_of, with
-- sub-judgements in long form. Frameworks are kept apart by the framework column.
-- grain: one row per inspection × judgement area. parameters: $as_of, $la_code, $districts,
--   $any_district, $phases, $admissions.
select
    s.urn,
    s.name,
    s.open_date,
    i.inspection_id,
    i.inspection_date,
    i.inspection_type,
    i.framework,
    i.overall_effectiveness,
    i.safeguarding_met,
    i.graded_follow_up_recommended,
    j.area,
    j.grade,
    j.grade_label,
from selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
left join inspections as i on i.urn = s.urn and i.inspection_date <= $as_of
left join inspection_judgements as j on j.inspection_id = i.inspection_id
where (s.open_date is null or s.open_date <= $as_of)
    and (s.close_date is null or s.close_date >= $as_of)
order by s.urn, i.inspection_date, j.area
