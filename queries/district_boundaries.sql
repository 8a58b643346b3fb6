-- district_boundaries: loaded district outlines as GeoJSON geometry text (WGS84).
-- grain: one row per district with a loaded boundary. parameters: $la_code.
select
    b.district_code,
    d.district_name,
    b.geometry_geojson,
from district_boundaries as b
inner join districts as d on d.district_code = b.district_code
where d.la_code = $la_code
order by d.district_name
