-- stage_bridge_laestab: the URN each (LAESTAB, academic year) of a staged file belongs to.
-- A LAESTAB can pass from a closed school to its academy successor, so a year goes to the
-- setting open on that year's January census day (the newer if two seem open), else to the one
-- open for most of the year; a LAESTAB only one setting ever carried goes to it.
-- grain: one row per staged (laestab, year_code) that some setting carries; urn null when none
-- of its settings was open in that year. parameters: none (reads staged_keys, staged_settings).
with candidates as (
    select
        k.laestab,
        k.year_code,
        s.urn,
        coalesce(s.open_date, date '1800-01-01') as opened,
        coalesce(s.close_date, date '2200-01-01') as closed,
        make_date(cast(k.year_code // 100 + 1 as integer), 1, 18) as census_day,
        make_date(cast(k.year_code // 100 as integer), 9, 1) as year_start,
        make_date(cast(k.year_code // 100 + 1 as integer), 8, 31) as year_end,
        count(*) over (partition by k.laestab, k.year_code) as carriers,
    from staged_keys as k
    inner join staged_settings as s on s.laestab = k.laestab
),

scored as (
    select
        *,
        opened <= census_day and closed >= census_day as open_on_census_day,
        date_diff('day', greatest(opened, year_start), least(closed, year_end)) as days_open,
    from candidates
)

select
    laestab,
    year_code,
    case
        when carriers = 1 or open_on_census_day or days_open > 0 then urn
    end as urn,
from scored
qualify row_number() over (
        partition by laestab, year_code
        order by
            open_on_census_day desc,
            case when open_on_census_day then opened end desc nulls last,
            days_open desc,
            urn desc
    ) = 1
