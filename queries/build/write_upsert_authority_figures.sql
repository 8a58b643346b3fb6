-- write_upsert_authority_figures: load staged authority figures, replacing rows with the same
-- key so loading a file twice changes nothing. grain: statement (loaders only).
-- parameters: none (reads the registered relation staged_authority_figures).
insert or replace into authority_figures by name
select * from staged_authority_figures
