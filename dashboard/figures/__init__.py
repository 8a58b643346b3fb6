"""The figures users see, made once: area and setting figures, comparators, comparisons,
trends, profiles, quality marks, EHC plans, inspections, context, and the groups users draw.
Plain Python, given a fetcher; no Streamlit, no Plotly, no DuckDB."""
