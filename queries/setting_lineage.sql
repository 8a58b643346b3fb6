-- setting_lineage: a setting and the settings it replaced (GIAS links file), newest first,
--   each with the link that joins it to the newer one and how many links back it lies.
-- grain: one row per setting in the lineage, the setting itself at depth 0. parameters: $urn.
with recursive lineage as (
    select
        cast($urn as integer) as urn,
        0 as depth,
        cast(null as varchar) as link_type,
        cast(null as date) as link_date
    union all
    select
        l.predecessor_urn as urn,
        g.depth + 1 as depth,
        l.link_type,
        l.link_date
    from lineage as g
    inner join setting_links as l on l.urn = g.urn
    where g.depth < 5
)

select
    g.urn,
    coalesce(s.name, 'not loaded') as name,
    g.depth,
    g.link_type,
    g.link_date,
    s.close_date,
from lineage as g
left join settings as s on s.urn = g.urn
order by g.depth, g.urn
