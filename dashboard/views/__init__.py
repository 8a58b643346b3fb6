"""What a figure looks like: tables, captions and summaries in words, Plotly charts, and the
export files (CSV, PNG, SVG, the briefing pack). No Streamlit."""
