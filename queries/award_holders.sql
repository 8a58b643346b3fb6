-- award_holders: each open setting with the current IQM and CPLD level it holds on $as_of
-- (null when none), its district and phase.
-- grain: one row per setting open on $as_of. parameters: $as_of, $la_code, $districts,
--   $any_district, $phases, $admissions.
select
    s.urn,
    s.name,
    s.phase,
    s.admissions_policy,
    coalesce(d.district_name, 'District unknown') as district_name,
    max(a.level) filter (where a.scheme = 'IQM') as iqm_level,
    max(a.level) filter (where a.scheme = 'CPLD') as cpld_level,
    min(a.award_date) as first_award_date,
from selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
left join districts as d on d.district_code = s.district_code
left join awards as a
    on a.urn = s.urn
        and a.award_date <= $as_of
        and (a.expiry_date is null or a.expiry_date >= $as_of)
where (s.open_date is null or s.open_date <= $as_of)
    and (s.close_date is null or s.close_date >= $as_of)
group by all
order by s.urn
