-- districts: the authority's districts for the district filter.
-- grain: one row per district. parameters: $la_code (DfE LA code, e.g. '886').
select
    district_code,
    district_name,
from districts
where la_code = $la_code
order by district_name
