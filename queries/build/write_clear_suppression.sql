-- write_clear_suppression: forget the previous disclosure decisions before they are made
-- again over the whole database. parameters: none.
delete from suppressed_cells;
delete from suppressed_groups;
delete from metadata where key = 'disclosure_min_count';
