"""The curators' web UI: a server-rendered Flask app over the monitor's database.

`monitor.web.app.create_app(settings, sessions)` builds the app. This package's __init__ imports
nothing, so `clusterwatch user` can hash passwords (monitor.web.passwords) without loading Flask.
"""
