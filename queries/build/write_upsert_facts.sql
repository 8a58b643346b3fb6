-- write_upsert_facts: load staged setting facts, replacing rows with the same key so a file
-- loaded twice changes nothing. grain: statement (loaders only). parameters: none.
insert or replace into setting_facts by name
select * from staged_facts
