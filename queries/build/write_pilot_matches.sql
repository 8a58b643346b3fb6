-- write_pilot_matches: attach reviewed URNs to the pilot register; a line not in the reviewed
-- set loses any URN it had, so the reviewed file is the whole truth and loading it twice
-- changes nothing. grain: statement (loaders only). parameters: none (reads
-- staged_pilot_matches).
update pilot_awards as p
set urn = (select m.urn from staged_pilot_matches as m where m.register_row = p.register_row)
