-- years: academic years held in the database, newest first, with any disruption note.
-- grain: one row per academic year. parameters: none.
select
    year_code,
    label,
    census_date,
    note,
from academic_years
order by year_code desc
