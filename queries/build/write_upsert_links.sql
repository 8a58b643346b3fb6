-- write_upsert_links: load staged predecessor links; a pair already held is replaced, so
-- loading a links file twice changes nothing.
-- grain: statement (loaders only). parameters: none (reads staged_links).
delete from setting_links as l
using staged_links as t
where l.urn = t.urn and l.predecessor_urn = t.predecessor_urn;

insert into setting_links by name
select
    t.urn,
    t.predecessor_urn,
    t.link_type,
    t.link_date,
    t.source_id,
from staged_links as t
