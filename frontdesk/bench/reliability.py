"""Four desks, as four processes, issuing check-ins and meal tickets against one database.

The issue's target: no errors, and the throughput reported, on SQLite and on PostgreSQL.
PostgreSQL runs when FRONTDESK_BENCH_PG_URL names a server (a scratch database is created
on it and dropped afterwards), e.g.
``FRONTDESK_BENCH_PG_URL=postgresql+psycopg://postgres@/postgres?host=/tmp/sock``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time
import uuid
from typing import Any

from frontdesk.bench.harness import BenchRun
from frontdesk.core.clock import CENTRE_TZ, FixedClock

DESKS = 4
LUNCH = dt.datetime(2026, 11, 22, 11, 30, tzinfo=CENTRE_TZ)


def run(bench: BenchRun) -> None:
    """The SQLite run always; the PostgreSQL run when a server is named."""
    if not bench.wanted("reliability: 4 desks"):
        return
    per_desk = 250 if bench.scale == "full" else 15
    _measure(bench, "sqlite", f"sqlite:///{bench.workdir / 'desks.sqlite3'}", per_desk)
    server = os.environ.get("FRONTDESK_BENCH_PG_URL", "")
    if server:
        url = _scratch_pg(server)
        try:
            _measure(bench, "postgresql", url, per_desk)
        finally:
            _drop_pg(server, url)


def _measure(bench: BenchRun, label: str, url: str, per_desk: int) -> None:
    from frontdesk.canteen import service as canteen
    from frontdesk.canteen.setup import install_reference_canteen
    from frontdesk.checkin import service as checkin
    from frontdesk.core.centre import initialise
    from frontdesk.core.migrate import open_database
    from frontdesk.residents.models import Resident

    db = open_database(url)
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH10",
                           town="测试镇", admin_username="admin",
                           admin_password="bench-password", clock=FixedClock(LUNCH))
        install_reference_canteen(session, admin)
        purpose = checkin.save_purpose(session, admin, None, name="日常活动", area="elder").id
        lunch = canteen.session_by_name(session, "午餐").id
        canteen.set_day(session, admin, lunch, LUNCH.date(), capacity=100_000)
        people = []
        for i in range(200):
            r = Resident(name=f"居民{i}", birth_date=dt.date(1940 + i % 50, 1, 1),
                         card_code=f"B{i:05d}", created_at=LUNCH, updated_at=LUNCH)
            session.add(r)
            session.flush()
            people.append(r.id)
    db.dispose()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(DESKS + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=desk, args=(url, n, people[n::DESKS], purpose, per_desk,
                                            barrier, results)) for n in range(DESKS)]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)  # every desk has started and connected
    started = time.perf_counter()
    samples: list[float] = []
    errors: list[str] = []
    for _ in range(DESKS):
        got_samples, got_errors = results.get(timeout=1800)
        samples += got_samples
        errors += got_errors
    wall = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    writes = len(samples)
    note = f"{writes} writes in {wall:.1f} s = {writes / wall:.0f}/s"
    bench.record_samples(f"reliability: 4 desks, one check-in or ticket ({label})", samples,
                         note=note)
    bench.record_value(f"reliability: 4 desks, throughput ({label})", writes / wall, "/s",
                       note=f"{DESKS} processes x {per_desk} check-ins + {per_desk} tickets")
    bench.record_value(f"reliability: 4 desks, errors ({label})", len(errors), "n", target=0,
                       note="; ".join(errors[:3]))


def desk(url: str, desk_no: int, people: list[int], purpose: int, per_desk: int,
         barrier: Any, results: Any) -> None:
    """One desk: alternate a check-in and a lunch ticket, timing each transaction."""
    from frontdesk.canteen import service as canteen
    from frontdesk.checkin import service as checkin
    from frontdesk.core.db import Database
    from frontdesk.core.operators import actor_for, get_operator

    db = Database(url)
    clock = FixedClock(LUNCH)
    with db.read() as session:
        actor = actor_for(get_operator(session, "admin"), clock)
    barrier.wait(timeout=300)
    samples: list[float] = []
    errors: list[str] = []
    for i in range(per_desk):
        person = people[i % len(people)]
        for kind in ("checkin", "ticket"):
            start = time.perf_counter()
            try:
                with db.session() as session:
                    if kind == "checkin":
                        checkin.check_in(session, actor, resident_id=person, purpose_id=purpose,
                                         confirm_repeat=True)
                    else:
                        canteen.issue_ticket(session, actor, resident_id=person)
            except Exception as exc:  # the figure to report is how many went wrong
                errors.append(f"desk {desk_no} {kind}: {type(exc).__name__}: {exc}"[:200])
                continue
            samples.append((time.perf_counter() - start) * 1000)
    db.dispose()
    results.put((samples, errors))


def _scratch_pg(server: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fd_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop_pg(server: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()
