-- published_figures: published England / South East / Kent figures with their source and vintage.
-- grain: one row per area × year × measure × phase. parameters: none.
select
    b.area_code,
    b.area_name,
    b.area_level,
    b.year_code,
    y.label as year_label,
    b.measure_id,
    b.phase,
    b.value,
    b.unit,
    b.source,
    b.vintage,
    b.note,
from published_figures as b
left join academic_years as y on y.year_code = b.year_code
order by b.measure_id, b.year_code, b.area_level, b.phase
