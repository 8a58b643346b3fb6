-- context_items: the published authority-level items the "Kent in context" page can show.
-- grain: one row per item. parameters: none.
select
    i.item,
    i.title,
    i.short_title,
    i.theme,
    i.headline,
    i.polarity,
    i.unit,
    i.decimals,
    i.year_type,
    i.definition,
    s.dataset as source,
    s.vintage,
from authority_items as i
inner join sources as s on s.source_id = i.source_id
order by i.sort_order, i.item
