"""A scratch database on a PostgreSQL server for build.sh's smoke run of the town commands.

    python packaging/scratch_pg.py create SERVER_URL      # prints the new database's URL
    python packaging/scratch_pg.py drop SERVER_URL DB_URL
"""

from __future__ import annotations

import sys
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


def main(argv: list[str]) -> int:
    action, server_url = argv[0], argv[1]
    server = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with server.connect() as conn:
            if action == "create":
                name = f"fd_smoke_{uuid.uuid4().hex[:10]}"
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                url = make_url(server_url).set(database=name)
                print(url.render_as_string(hide_password=False))
            else:
                name = str(make_url(argv[2]).database)
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
