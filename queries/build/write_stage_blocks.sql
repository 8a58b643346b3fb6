-- write_stage_blocks: the authority × year blocks ('886:202324', ...) a load decides again,
-- as a temporary table the clearing and the facts query read. parameters: $blocks.
create or replace temp table disclosure_redo as
select unnest($blocks::varchar[]) as block
