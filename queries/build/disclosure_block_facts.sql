-- disclosure_block_facts: disclosure_facts for the authority × year blocks staged in
-- disclosure_redo (write_stage_blocks), the ones a load changed.
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
where (s.la_code || ':' || f.year_code) in (select block from disclosure_redo)
order by f.urn, f.year_code, f.input, f.breakdown
