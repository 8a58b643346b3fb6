-- setting_awards: one setting's quality-mark awards, newest first.
-- grain: one row per award. parameters: $urn.
select
    a.scheme,
    a.level,
    a.award_date,
    a.expiry_date,
from awards as a
where a.urn = $urn
order by a.award_date desc
