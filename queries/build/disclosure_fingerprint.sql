-- disclosure_fingerprint: a digest of everything disclosure control and the authority sums
-- are decided from (every setting fact, its missing reason, and where its setting is and
-- which phase it has), so a load that changes none of it (boundaries, population, links,
-- inspections, awards, EHC plans figures) keeps the decisions instead of making them again.
-- grain: one row. parameters: none.
select
    count(*) as facts,
    coalesce(
        sum(
            hash(
                f.urn, f.year_code, f.input, f.breakdown, f.numerator, f.denominator,
                f.missing_reason, s.la_code, s.district_code, s.phase, s.admissions_policy
            )
        ),
        0
    ) as digest,
from setting_facts as f
inner join settings as s on s.urn = f.urn
