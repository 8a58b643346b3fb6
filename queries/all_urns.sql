-- all_urns: every loaded setting's URN, whatever its authority (loaders check references).
-- grain: one row per setting. parameters: none.
select urn,
from settings
