-- write_clear_suppression: forget the previous disclosure decisions, and the authority sums
-- made with them, before they are made again over the whole database. parameters: none.
delete from suppressed_cells;
delete from suppressed_groups;
delete from authority_inputs;
delete from phase_choices;
delete from metadata where key in ('disclosure_min_count', 'disclosure_inputs');
