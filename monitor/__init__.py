"""Judging clusters over time and telling people: CLI, settings, status, report, digest, web.

Never imports Scrapy: crawls run as a child process (`python -P -m clusterwatch.crawler`).
"""
