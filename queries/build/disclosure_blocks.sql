-- disclosure_blocks: a digest of what disclosure control decides each authority × year from
-- (every setting fact of the block, its missing reason, and where its setting is and which
-- phase it has). A load redoes the blocks whose digest changed and keeps the others' decisions:
-- a year's load does not decide the other nine again, nor one authority's the other 150.
-- grain: one row per authority × year. parameters: none.
select
    s.la_code,
    f.year_code,
    count(*) as facts,
    sum(
        hash(
            f.urn, f.input, f.breakdown, f.numerator, f.denominator, f.missing_reason,
            s.district_code, s.phase, s.admissions_policy
        )
    ) as digest,
from setting_facts as f
inner join settings as s on s.urn = f.urn
group by s.la_code, f.year_code
order by s.la_code, f.year_code
