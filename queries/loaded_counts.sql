-- loaded_counts: how many settings, inspections (per framework), awards and confirmed pilot
-- matches a database holds, for the `status` command.
-- grain: one row per item. parameters: none.
select 'settings' as item, count(*) as n from settings
union all
select 'settings with district unknown' as item, count(*) as n from settings
where district_code is null
union all
select 'settings without coordinates' as item, count(*) as n from settings where latitude is null
union all
select 'inspections: ' || framework as item, count(*) as n from inspections group by framework
union all
select 'inspection judgements' as item, count(*) as n from inspection_judgements
union all
select 'quality-mark awards' as item, count(*) as n from awards
union all
select 'pilot register lines matched to a URN' as item, count(urn) as n from pilot_awards
union all
select 'district boundaries' as item, count(*) as n from district_boundaries
union all
select 'authority-level EHC plan values' as item, count(*) as n from authority_figures
