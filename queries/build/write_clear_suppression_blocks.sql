-- write_clear_suppression_blocks: forget the disclosure decisions of the authority × year
-- blocks staged in disclosure_redo (write_stage_blocks) before they are made again, and the
-- phase choices and authority sums, which are made again from every decision.
-- parameters: none.
delete from suppressed_cells as c
where (
    coalesce((select s.la_code from settings as s where s.urn = c.urn), '') || ':' || c.year_code
) in (select block from disclosure_redo);
delete from suppressed_groups
where (la_code || ':' || year_code) in (select block from disclosure_redo);
delete from authority_inputs;
delete from phase_choices;
delete from metadata
where key in ('disclosure_min_count', 'disclosure_inputs', 'disclosure_blocks');
