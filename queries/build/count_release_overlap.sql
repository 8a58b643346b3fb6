-- count_release_overlap: how many staged authority figures a held release already covers,
--   newer (the staged ones are left out) or older (the staged ones replace them), for the
--   load's note in `sources`.
-- grain: one row. parameters: none (reads staged_authority_figures).
select
    count(*) filter (where a.release_period > t.release_period) as kept_newer,
    count(*) filter (where a.release_period < t.release_period) as replaced_older,
from staged_authority_figures as t
inner join authority_figures as a
    on a.dataset = t.dataset
        and a.area_code = t.area_code
        and a.period_code = t.period_code
        and a.breakdown_topic = t.breakdown_topic
        and a.breakdown = t.breakdown
        and a.indicator = t.indicator
