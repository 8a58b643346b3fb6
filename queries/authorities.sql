-- authorities: every authority the database holds, with its region (the home authority is
-- one of these: dashboard/core/home.py).
-- grain: one row per authority. parameters: none.
select
    la_code,
    la_name,
    region_name,
    is_fictional,
from authorities
order by la_code
