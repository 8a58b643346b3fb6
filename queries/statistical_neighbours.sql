-- statistical_neighbours: an authority's ten statistical neighbours, nearest first, with the
-- neighbour's name (from the authorities table, else LAIT's, else its code).
-- grain: one row per neighbour. parameters: $la_code.
select
    n.rank,
    n.neighbour_la_code,
    coalesce(
        (select max(x.la_name) from authorities as x where x.la_code = n.neighbour_la_code),
        (select max(a.area_name) from authority_series as a where a.la_code = n.neighbour_la_code),
        n.neighbour_la_code
    ) as neighbour_name,
    n.closeness,
    n.vintage,
from statistical_neighbours as n
where n.la_code = $la_code
order by n.rank
