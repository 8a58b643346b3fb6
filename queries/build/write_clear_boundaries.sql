-- write_clear_boundaries: remove loaded district boundaries before a new set is loaded.
-- grain: statement (used only by dashboard.ingest, never by the app). parameters: none.
delete from district_boundaries
