-- years: academic years that hold any setting-level figures, newest first, with any
-- disruption note; every year in the table when none holds figures yet (a database with
-- only inspections or boundaries loaded). grain: one row per academic year. parameters: none.
select
    y.year_code,
    y.label,
    y.census_date,
    y.note,
from academic_years as y
where
    y.year_code in (select distinct f.year_code from setting_facts as f)
    or not exists (select 1 from setting_facts)
order by y.year_code desc
