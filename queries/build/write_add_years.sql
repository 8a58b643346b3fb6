-- write_add_years: add academic years a loaded file holds that the table lacks (a release
-- newer than the database), with their labels and census dates; existing years are kept.
-- grain: statement (loaders only). parameters: none (reads staged_years).
insert into academic_years by name
select t.*
from staged_years as t
anti join academic_years as y on y.year_code = t.year_code
