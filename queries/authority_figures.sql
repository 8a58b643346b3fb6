-- authority_figures: authority-level EHC plan figures for one dataset and breakdown topic.
-- grain: one row per area × period × breakdown × indicator. parameters: $dataset,
--   $breakdown_topic, $indicators (list of lower-case column names).
select
    area_code,
    area_name,
    area_level,
    region_code,
    la_code,
    period_code,
    period_type,
    breakdown,
    indicator,
    value,
    missing_reason,
    is_fictional,
from authority_figures
where dataset = $dataset
    and breakdown_topic = $breakdown_topic
    and list_contains($indicators, indicator)
order by area_level, area_name, period_code, breakdown, indicator
