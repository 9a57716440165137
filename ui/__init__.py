"""Streamlit glue for the dashboard: cached loaders, the shared sidebar filters, widgets.

Streamlit code lives only here, in dashboard.py (the Overview page) and in pages/; everything these modules show
is computed by core.query.filters and core.query.views.
"""
