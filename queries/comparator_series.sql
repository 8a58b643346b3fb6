-- comparator_series: England and the authority's region computed from school-level rows, for
-- the same phases and admissions policies as the selection, every year: like for like.
-- grain: one row per area (England, region) × academic year × input × breakdown.
-- parameters: $la_code (the authority whose region is wanted), $phase_key (the sidebar
--   phase choice, as in area_inputs).
-- An area's figure is the sum of its authorities' figures for the same phase choice, as the
-- load wrote them (authority_inputs: the whole-authority sums of area_inputs). An
-- authority figure that disclosure control hides (suppressed_groups) is left out and counted
-- (`authorities_hidden`), so no published comparator gives a hidden figure away by
-- subtraction. `authorities_loaded` is how many of the area's authorities have any settings'
-- rows for the year and input (phase choice 'all': most have no grammar school), and
-- `authorities_expected` how many the area has (table authorities): a comparator is called
-- computed only when the loaded rows cover the area. `authorities` counts those with rows of
-- the phase choice, `authorities_summed` those whose figure is in the sum (not hidden, not
-- withheld at source): a comparator must sum nearly all of them (dashboard/figures/comparators.py).
with marked as (
    select
        b.*,
        a.region_code,
    from authority_inputs as b
    inner join authorities as a on a.la_code = b.la_code
    where b.phase_key = $phase_key
),

home as (
    select
        region_code,
        region_name,
    from authorities
    where la_code = $la_code
),

areas as (
    select
        'E92000001' as area_code,
        'England' as area_name,
        'national' as area_level,
        null as region_code,
    union all
    select
        h.region_code as area_code,
        h.region_name as area_name,
        'regional' as area_level,
        h.region_code,
    from home as h
),

loaded as (
    select
        a.region_code,
        b.la_code,
        b.year_code,
        b.input,
    from authority_inputs as b
    inner join authorities as a on a.la_code = b.la_code
    where b.phase_key = 'all' and b.breakdown = 'all'
),

coverage as (
    select
        r.area_code,
        l.year_code,
        l.input,
        count(distinct l.la_code) as authorities_loaded,
        any_value((
            select count(*) from authorities as x
            where r.region_code is null or x.region_code = r.region_code
        )) as authorities_expected,
    from areas as r
    inner join loaded as l on r.region_code is null or l.region_code = r.region_code
    group by r.area_code, l.year_code, l.input
)

select
    a.area_code,
    a.area_name,
    a.area_level,
    m.year_code,
    m.input,
    m.breakdown,
    sum(m.numerator) filter (where not m.hidden) as numerator,
    sum(m.denominator) filter (where not m.hidden) as denominator,
    coalesce(sum(m.settings) filter (where not m.hidden), 0) as settings,
    coalesce(sum(m.settings_withheld) filter (where not m.hidden), 0) as settings_withheld,
    coalesce(sum(m.settings_not_applicable) filter (where not m.hidden), 0)
        as settings_not_applicable,
    string_agg(distinct m.missing_reasons, ',' order by m.missing_reasons)
    filter (where not m.hidden) as missing_reasons,
    count(distinct m.la_code) as authorities,
    count(distinct m.la_code) filter (where m.hidden) as authorities_hidden,
    count(distinct m.la_code) filter (
        where not m.hidden and m.numerator is not null and m.denominator is not null
    ) as authorities_summed,
    any_value(c.authorities_loaded) as authorities_loaded,
    any_value(c.authorities_expected) as authorities_expected,
from areas as a
inner join marked as m on a.region_code is null or m.region_code = a.region_code
inner join coverage as c
    on c.area_code = a.area_code and c.year_code = m.year_code and c.input = m.input
group by a.area_code, a.area_name, a.area_level, m.year_code, m.input, m.breakdown
order by a.area_level, m.year_code, m.input, m.breakdown
