-- setting_keys: every loaded setting's URN with its LAESTAB and open and close dates, for
-- loaders that check references and bridge LAESTAB-keyed files to URNs.
-- grain: one row per setting. parameters: none.
select
    urn,
    laestab,
    open_date,
    close_date,
from settings
