-- setting_series: every fact held for one setting, all years, shaped like area_inputs, as
--   published (suppressed values null with reason 'c'). A year and input the setting has no
--   fact for is taken from its nearest predecessor (GIAS links: an academy conversion), summed
--   over predecessors at that depth (an amalgamation); `depth` says how many links back.
-- grain: one row per academic year × input × breakdown. parameters: $urn.
with recursive lineage as (
    select cast($urn as integer) as urn, 0 as depth
    union all
    select l.predecessor_urn as urn, g.depth + 1 as depth
    from lineage as g
    inner join setting_links as l on l.urn = g.urn
    where g.depth < 5
),

held as (
    select
        f.*,
        g.depth,
    from published_facts as f
    inner join lineage as g on g.urn = f.urn
),

nearest as (
    select
        year_code,
        input,
        min(depth) as depth,
    from held
    group by year_code, input
)

select
    h.year_code,
    h.input,
    h.breakdown,
    case when count(h.numerator) = count(*) then sum(h.numerator) end as numerator,
    case when count(h.denominator) = count(*) then sum(h.denominator) end as denominator,
    count(*) as settings,
    count(*) filter (
        where h.numerator is null and coalesce(h.missing_reason, '') <> 'z'
    ) as settings_withheld,
    count(*) filter (where h.missing_reason = 'z') as settings_not_applicable,
    string_agg(distinct h.missing_reason, ',' order by h.missing_reason) as missing_reasons,
    h.depth,
from held as h
inner join nearest as n
    on n.year_code = h.year_code and n.input = h.input and n.depth = h.depth
group by h.year_code, h.input, h.breakdown, h.depth
order by h.year_code, h.input, h.breakdown
