-- write_upsert_authority_figures: load staged authority figures. Where two releases hold the
-- same figure (same key), the newer release wins whatever the order of loading: a staged row
-- replaces a held one from the same or an older release, and is left out where a newer
-- release's is held. Loading a file twice changes nothing.
-- grain: statement (loaders only). parameters: none (reads staged_authority_figures).
delete from authority_figures as a
using staged_authority_figures as t
where a.dataset = t.dataset
    and a.area_code = t.area_code
    and a.period_code = t.period_code
    and a.breakdown_topic = t.breakdown_topic
    and a.breakdown = t.breakdown
    and a.indicator = t.indicator
    and a.release_period <= t.release_period;

insert into authority_figures by name
select t.*
from staged_authority_figures as t
where not exists (
        select 1
        from authority_figures as a
        where a.dataset = t.dataset
            and a.area_code = t.area_code
            and a.period_code = t.period_code
            and a.breakdown_topic = t.breakdown_topic
            and a.breakdown = t.breakdown
            and a.indicator = t.indicator
    )
