-- setting_points: where each setting is, for the setting map.
-- grain: one row per setting with coordinates. parameters: $la_code.
select
    s.urn,
    s.latitude,
    s.longitude,
from settings as s
where s.la_code = $la_code
    and s.latitude is not null
    and s.longitude is not null
