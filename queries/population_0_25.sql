-- population_0_25: people aged 0 to 25 by area and mid-year (ONS estimates), the population
-- EHC plans serve. grain: one row per area × mid-year. parameters: none.
-- An area loaded in its own right (England, a region, an authority) is read as it is; an
-- authority that is not (Nomis may refuse county codes) is the sum of its districts, only
-- when every one of its districts is loaded for that year, and `built_from` says so.
with by_area as (
    select
        area_code,
        mid_year,
        sum(persons) as persons,
        count(*) as ages,
    from population
    group by area_code, mid_year
),

authorities as (
    select distinct
        la_code,
        area_code,
    from authority_figures
    where area_level = 'authority' and la_code is not null
),

district_counts as (
    select
        la_code,
        count(*) as districts,
    from districts
    group by la_code
),

from_districts as (
    select
        a.area_code,
        p.mid_year,
        sum(p.persons) as persons,
        count(distinct p.area_code) as districts,
        count(*) as ages,
        any_value(n.districts) as districts_needed,
    from by_area as p
    inner join districts as d on d.district_code = p.area_code
    inner join authorities as a on a.la_code = d.la_code
    inner join district_counts as n on n.la_code = d.la_code
    where p.ages = 26
    group by a.area_code, p.mid_year
)

select
    area_code,
    mid_year,
    persons,
    'as published' as built_from,
from by_area
where ages = 26
union all
select
    f.area_code,
    f.mid_year,
    f.persons,
    'sum of its ' || f.districts || ' districts' as built_from,
from from_districts as f
where f.districts = f.districts_needed
    and not exists (
        select 1 from by_area as b
        where b.area_code = f.area_code and b.mid_year = f.mid_year and b.ages = 26
    )
order by area_code, mid_year
