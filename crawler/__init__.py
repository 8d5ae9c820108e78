"""Fetching and understanding cluster websites: seeds, the Scrapy spider, pipelines, analysis.

Knows Scrapy; never decides a cluster's status (that is monitor/).
"""
