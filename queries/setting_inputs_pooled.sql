-- setting_inputs_pooled: each setting's numerator and denominator summed over several academic
-- years (a pooled figure for small settings), with how many years contributed.
-- A pooled figure is suppressed whenever any of its years is: otherwise the pooled total minus
-- the visible years would give the hidden one.
-- grain: one row per setting × breakdown. parameters: $years (list of year codes), $input,
--   $la_code, $districts, $any_district, $phases, $admissions.
select
    s.urn,
    s.name,
    s.phase,
    s.admissions_policy,
    s.district_code,
    d.district_name,
    s.resourced_provision,
    f.breakdown,
    case when not bool_or(f.suppressed) then sum(f.numerator) end as numerator,
    case when not bool_or(f.suppressed) then sum(f.denominator) end as denominator,
    count(f.numerator) as years_pooled,
    case
        when bool_or(f.suppressed) then 'c'
        when count(f.numerator) = 0 then min(f.missing_reason)
    end as missing_reason,
from published_facts as f
inner join selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
    on s.urn = f.urn
left join districts as d on d.district_code = s.district_code
where list_contains($years, f.year_code)
    and f.input = $input
group by all
order by s.urn, f.breakdown
