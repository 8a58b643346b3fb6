-- write_upsert_awards: load staged quality-mark awards; an award already held for the same
-- setting, scheme and date is replaced, so loading a file twice changes nothing.
-- grain: statement (loaders only). parameters: none (reads staged_awards).
delete from awards as a
using staged_awards as t
where a.urn = t.urn and a.scheme = t.scheme and a.award_date = t.award_date;

insert into awards by name
select
    coalesce((select max(award_id) from awards), 0)
    + row_number() over (order by t.urn, t.scheme, t.award_date) as award_id,
    t.urn,
    t.scheme,
    t.level,
    t.award_date,
    t.expiry_date,
    t.source_id,
from staged_awards as t
