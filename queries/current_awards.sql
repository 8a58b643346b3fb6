-- current_awards: whether each open setting holds a current IQM or CPLD award on a date, and
-- whether any award register is loaded at all (without one, "no award" means "not known").
-- grain: one row per setting open on $as_of. parameters: $as_of (date), $la_code,
--   $districts, $phases, $admissions.
select
    s.urn,
    s.district_code,
    s.phase,
    bool_or(a.award_id is not null) as holds_award,
    string_agg(a.scheme || ' ' || a.level, '; ' order by a.scheme) as awards,
    exists(select 1 from awards) as register_loaded,
from selected_settings($la_code, $districts, $any_district, $phases, $admissions) as s
left join awards as a
    on a.urn = s.urn
        and a.award_date <= $as_of
        and (a.expiry_date is null or a.expiry_date >= $as_of)
where (s.open_date is null or s.open_date <= $as_of)
    and (s.close_date is null or s.close_date >= $as_of)
group by s.urn, s.district_code, s.phase
order by s.urn
