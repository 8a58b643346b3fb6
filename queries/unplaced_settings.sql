-- unplaced_settings: open settings of the authority with no district recorded yet (known
-- only from files without one), so pages can say they count in the authority's figures but
-- in no district's; and how many have one, so district views can say when none has.
-- grain: one row. parameters: $la_code.
select
    count(*) filter (where district_code is null) as settings,
    count(*) filter (where district_code is not null) as placed,
from settings
where la_code = $la_code and close_date is null
