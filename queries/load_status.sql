-- load_status: for each measure input and year, how many settings have a value, are withheld,
-- or have no row at all. grain: one row per input × year. parameters: none.
with open_settings as (
    select count(*) as settings,
    from settings
)

select
    i.input,
    y.label as year,
    count(f.urn) filter (where f.numerator is not null) as with_value,
    count(f.urn) filter (where f.numerator is null) as withheld,
    (select settings from open_settings) as settings,
from measure_inputs as i
cross join academic_years as y
left join setting_facts as f
    on f.input = i.input and f.year_code = y.year_code and f.breakdown = 'all'
group by i.input, y.label, y.year_code
having count(f.urn) > 0
order by i.input, y.year_code
