-- pupils_on_roll: January census pupils on roll per setting and year (the denominator of the
-- EHC plan count), used by loaders to turn published percentages back into counts.
-- grain: one row per setting × academic year with a roll. parameters: none.
select
    urn,
    year_code,
    denominator as pupils,
from setting_facts
where input = 'ehcp' and breakdown = 'all' and denominator is not null
