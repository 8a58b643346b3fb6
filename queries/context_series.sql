-- context_series: one item for an authority, its statistical neighbours, its region and
-- England, every year held, with each area's role and the neighbour's closeness.
-- grain: one row per area × year. parameters: $la_code, $item.
with neighbours as (
    select
        neighbour_la_code as la_code,
        closeness,
    from statistical_neighbours
    where la_code = $la_code and neighbour_la_code is not null
),

own_region as (
    select max(region) as region,
    from authority_series
    where la_code = $la_code
)

select
    a.area_name,
    a.la_code,
    a.area_level,
    a.year_label,
    a.value,
    a.missing_reason,
    case
        when a.la_code = $la_code then 'authority'
        when n.la_code is not null then 'neighbour'
        when a.area_level = 'regional' then 'region'
        else 'england'
    end as role,
    n.closeness,
from authority_series as a
left join neighbours as n on n.la_code = a.la_code
where a.item = $item
    and (
        a.la_code = $la_code
        or n.la_code is not null
        or a.area_level = 'national'
        or (a.area_level = 'regional' and a.area_name = (select region from own_region))
    )
order by a.year_label, a.area_name
