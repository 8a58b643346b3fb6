-- loaded_counts: how many settings, inspections (per framework), awards and confirmed pilot
-- matches a database holds, for the `status` command.
-- grain: one row per item. parameters: none.
select 'settings' as item, count(*) as n from settings
union all
select 'settings with district unknown', count(*) from settings where district_code is null
union all
select 'settings without coordinates', count(*) from settings where latitude is null
union all
select 'inspections: ' || framework, count(*) from inspections group by framework
union all
select 'inspection judgements', count(*) from inspection_judgements
union all
select 'quality-mark awards', count(*) from awards
union all
select 'pilot register lines matched to a URN', count(urn) from pilot_awards
union all
select 'district boundaries', count(*) from district_boundaries
union all
select 'authority-level EHC plan values', count(*) from authority_figures
