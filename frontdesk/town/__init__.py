"""The town (镇街) registry: several centres in one PostgreSQL database.

Each centre lives in its own schema ``centre_<code>`` (the usual tables, migrations and
alembic_version, reached through the connection's search_path). The registry itself —
the town's name, its centres and its town admins (镇街管理员) — lives in schema ``town``
with its own small Alembic chain (``frontdesk/town/migrations``, version table
``town.alembic_version``). An SQLite file is always one centre and has no registry.

``TOWN_HEADS`` lets start-up tell "up to date" without importing Alembic (a test checks it).
"""

TOWN_SCHEMA = "town"
TOWN_HEADS = frozenset({"t0001_town"})
