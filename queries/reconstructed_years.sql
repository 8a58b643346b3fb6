-- reconstructed_years: academic years whose absence figures were rebuilt from published
-- percentages (england_abs) rather than loaded as counts, so pages can say the numerators and
-- denominators shown are approximate. grain: one row per academic year. parameters: none.
select distinct f.year_code,
from setting_facts as f
inner join sources as s on s.source_id = f.source_id
where s.dataset = 'performance-tables absence' and f.numerator is not null
order by f.year_code
