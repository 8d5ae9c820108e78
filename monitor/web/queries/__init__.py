"""Read-only queries behind the pages, one module per page, each a few bulk SELECTs.

No page issues a query per cluster or per run: with 1,000 clusters and a year of nightly runs
each page must answer in well under 200 ms (bench/web_speed.py). All writes go through
monitor.review, so the rules for flags, overrides and notes live in one place.
"""
