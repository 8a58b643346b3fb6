-- first_awards: the first quality-mark award date of every setting that has held one.
-- grain: one row per setting with an award. parameters: $la_code.
select
    a.urn,
    min(a.award_date) as first_award_date,
from awards as a
inner join settings as s on s.urn = a.urn
where s.la_code = $la_code
group by a.urn
