-- expected_years: academic years in which some setting has both a published figure for the
--   input and a published intake (free school meals): the years a model can be fitted for.
-- grain: one row per academic year. parameters: $input.
select distinct f.year_code,
from published_facts as f
inner join published_facts as i
    on i.urn = f.urn
        and i.year_code = f.year_code
        and i.input = 'fsm'
        and i.breakdown = 'all'
        and i.numerator is not null
where f.input = $input
    and f.breakdown = 'all'
    and f.numerator is not null
order by f.year_code
