-- years: academic years in the database, newest first, with any disruption note and whether
-- any setting-level figures are held for it (a database with only inspections or boundaries
-- loaded holds none: then every year counts as held).
-- grain: one row per academic year. parameters: none.
select
    y.year_code,
    y.label,
    y.census_date,
    y.note,
    (
        y.year_code in (select distinct f.year_code from setting_facts as f)
        or not exists (select 1 from setting_facts)
    ) as has_figures,
from academic_years as y
order by y.year_code desc
