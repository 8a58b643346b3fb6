-- unplaced_settings: open settings of the authority with no district recorded yet (known
-- only from files without one), so pages can say they count in the authority's figures but
-- in no district's. grain: one row. parameters: $la_code.
select count(*) as settings,
from settings
where la_code = $la_code and district_code is null and close_date is null
