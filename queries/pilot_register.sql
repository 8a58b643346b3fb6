-- pilot_register: the real 2014–15 Kent SEND Workforce Reform Pilot award register, as
-- published; urn only where a reviewed match has been confirmed.
-- grain: one row per register line. parameters: none.
select
    register_row,
    setting_name_as_published,
    pilot_phase_group,
    scheme,
    level,
    notes,
    urn,
from pilot_awards
order by register_row
