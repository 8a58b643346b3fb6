-- load_status: for each measure input, breakdown and year, how many settings have a value or
-- are withheld (inputs and years with no rows are left out).
-- grain: one row per input × breakdown × year. parameters: none.
select
    f.input,
    f.breakdown,
    y.label as year,
    count(*) filter (where f.numerator is not null) as with_value,
    count(*) filter (where f.numerator is null) as withheld,
from setting_facts as f
inner join academic_years as y using (year_code)
group by f.input, f.breakdown, y.label, y.year_code
order by f.input, f.breakdown, y.year_code
