"""Scrapy middlewares of clusterwatch, one small module each."""
