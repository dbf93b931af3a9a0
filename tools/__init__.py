"""Operator tools, run from the repository root with the project's interpreter:

- `tools.server`: the one way to run production gunicorn on loopback (tests, bench, load).
- `tools.bench`: `make bench`, figures as ratios measured side by side.
- `tools.loadtest`: `make loadtest`, mixed traffic against production gunicorn.
- `tools.restart_postgres_under_load`: restart PostgreSQL while gunicorn serves load.

None of this is imported by the site itself.
"""
