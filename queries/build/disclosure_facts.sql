-- disclosure_facts: every setting fact with what disclosure control needs to know about its
-- setting (where it is and which phase choices it falls in).
-- grain: one row per setting × year × input × breakdown. parameters: none.
select
    f.urn,
    f.year_code,
    f.input,
    f.breakdown,
    f.numerator,
    f.denominator,
    s.la_code,
    s.district_code,
    s.phase,
    s.admissions_policy,
from setting_facts as f
inner join settings as s on s.urn = f.urn
order by f.urn, f.year_code, f.input, f.breakdown
