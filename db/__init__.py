"""The only package that knows SQL: models, engine and sessions, the store, migrations."""
