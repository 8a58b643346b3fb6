-- district_centres: where each district of an authority lies, as the mean position of its
-- settings (for generating a hex layout where no hand layout exists:
-- dashboard/figures/geography.py).
-- grain: one row per district with at least one placed setting. parameters: $la_code.
select
    d.district_code,
    avg(s.latitude) as latitude,
    avg(s.longitude) as longitude,
from districts as d
inner join settings as s on s.district_code = d.district_code
where d.la_code = $la_code
    and s.latitude is not null
    and s.longitude is not null
group by d.district_code
order by d.district_code
