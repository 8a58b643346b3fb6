-- setting_inspections: one setting's inspections under every framework, with sub-judgements
-- in long form (key judgements on 1–4, report-card areas on 1–5; never merged).
-- grain: one row per inspection × judgement area (one row with null area if none).
-- parameters: $urn.
select
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
    j.scale,
from inspections as i
left join inspection_judgements as j on j.inspection_id = i.inspection_id
where i.urn = $urn
order by i.inspection_date, j.area
