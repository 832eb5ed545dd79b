"""Check-in benchmark: five years of history (about 500,000 check-ins at full scale).

History is written with bulk inserts straight through the driver (the benchmark measures
the desk, not the generator). Targets from issue 5: scan-to-committed check-in p95 ≤ 20 ms,
the page's data after a check-in p95 ≤ 50 ms, a 500-entry day's attendance sheet (its data
and the PDF bytes) ≤ 1 s and within 1.5× of the same day on an otherwise empty database.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator

from sqlalchemy import insert

from frontdesk.bench.harness import BenchRun
from frontdesk.checkin import service
from frontdesk.checkin.sheet import attendance_pdf
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.migrate import open_database
from frontdesk.residents.models import Resident

SHEET_DAY_ENTRIES = 500
TODAY = dt.date(2026, 11, 22)
SHEET_DAY = dt.date(2026, 6, 18)


def _utc_text(moment: dt.datetime) -> str:
    """How SQLAlchemy stores a timestamp on SQLite (naive UTC, microseconds)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _make_db(bench: BenchRun, name: str, residents: int) -> tuple[Database, Actor]:
    db = open_database(f"sqlite:///{bench.workdir / name}")
    clock = FixedClock(dt.datetime(2026, 11, 22, 8, 0, tzinfo=CENTRE_TZ))
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH05",
                           town="测试镇", admin_username="admin",
                           admin_password="bench-password", clock=clock)
    now = clock.now()
    rng = random.Random(5)
    # Core insert: the columns' own defaults fill what a benchmark resident leaves out.
    rows = [{"name": f"居民{i}", "sex": "MF"[i % 2],
             "birth_date": dt.date(rng.randint(1935, 2020), rng.randint(1, 9), 10 + i % 9),
             "card_code": f"BC{i:06d}", "phone": f"13{rng.randint(100000000, 999999999)}",
             "id_type": "none", "status": "active", "temporary": False, "created_at": now,
             "updated_at": now} for i in range(residents)]
    with db.engine.begin() as conn:
        conn.execute(insert(Resident), rows)
    return db, admin


def _day_rows(day: dt.date, count: int, residents: int, rng: random.Random
              ) -> Iterator[tuple[object, ...]]:
    for _ in range(count):
        at = dt.datetime(day.year, day.month, day.day, rng.randint(8, 20), rng.randint(0, 59),
                         rng.randint(0, 59), tzinfo=CENTRE_TZ)
        yield (rng.randint(1, residents), rng.randint(1, 9), _utc_text(at), day.isoformat(),
               "林前台")


def _insert_checkins(db: Database, rows: Iterator[tuple[object, ...]]) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO checkin (resident_id, purpose_id, checked_in_at, business_date,"
            " operator_name, confirmed_repeat, voided) VALUES (?, ?, ?, ?, ?, 0, 0)",
            list(rows))


def _history(db: Database, total: int, residents: int) -> None:
    """``total`` check-ins spread over five years up to yesterday, in date order."""
    rng = random.Random(2026)
    days = 5 * 365
    per_day = max(1, total // days)
    batch: list[tuple[object, ...]] = []
    for back in range(days, 0, -1):
        day = TODAY - dt.timedelta(days=back)
        count = SHEET_DAY_ENTRIES if day == SHEET_DAY else per_day
        batch.extend(_day_rows(day, count, residents, rng))
        if len(batch) >= 50_000:
            _insert_checkins(db, iter(batch))
            batch = []
    _insert_checkins(db, iter(batch))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def run(bench: BenchRun) -> None:
    """Check-in on a five-year database; the attendance sheet against an empty one."""
    if not bench.wanted("checkin"):
        return
    full = bench.scale == "full"
    total, residents = (500_000, 20_000) if full else (5_000, 2_000)
    repeat = 200 if full else 30
    db, admin = _make_db(bench, "checkin-5y.sqlite3", residents)
    _history(db, total, residents)
    clock = FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=CENTRE_TZ))
    actor = Actor(admin.operator_id, admin.username, admin.display_name, admin.role, clock)
    with db.read() as session:
        canteen = service.find_purpose(session, "长者食堂").id
    cards = iter(f"BC{i:06d}" for i in range(residents))

    def check_in_one() -> None:
        clock.advance(seconds=7)
        with db.session() as session:
            service.check_in(session, actor, code=next(cards), purpose_id=canteen)

    def page_after_check_in() -> None:
        with db.read() as session:
            service.page_data(session, clock.now(), clock.today())

    def bare_commit() -> None:
        # The disk's floor: one tiny insert and a durable commit on the same file.
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO tally_entry (group_id, count, at, business_date, operator_name,"
                " voided) VALUES (1, 1, '2000-01-01 00:00:00.000000', '2000-01-01', 'bench', 1)")

    def timed(func: Callable[[], None]) -> float:
        begin = time.perf_counter()
        func()
        return (time.perf_counter() - begin) * 1000

    note = f"{total:,} check-ins in history"
    for _ in range(3):
        check_in_one()
        bare_commit()
    scan_ms, floor_ms = [], []
    for _ in range(repeat):  # alternate, so both see the same machine load
        scan_ms.append(timed(check_in_one))
        floor_ms.append(timed(bare_commit))
    bench.record_samples("checkin: scan to committed check-in", scan_ms, target_ms=20,
                         note=note)
    bench.record_samples("checkin: bare insert + commit, same file (disk floor)", floor_ms,
                         note="reference")
    bench.time("checkin: page data after a check-in", page_after_check_in, repeat=repeat,
               target_ms=50, note=note)

    empty, empty_admin = _make_db(bench, "checkin-1day.sqlite3", residents)
    _insert_checkins(empty, _day_rows(SHEET_DAY, SHEET_DAY_ENTRIES, residents,
                                      random.Random(7)))
    sizes: list[int] = []

    def sheet(database: Database, who: Actor) -> float:
        # What the desk waits for: the day's rows read and the A4 PDF rendered to bytes.
        begin = time.perf_counter()
        with database.read() as session:
            pdf = attendance_pdf(session, who, SHEET_DAY)
        elapsed = (time.perf_counter() - begin) * 1000
        sizes.append(len(pdf))
        return elapsed

    for _ in range(2):
        sheet(db, actor)
        sheet(empty, empty_admin)
    big_ms, small_ms = [], []
    for _ in range(20 if full else 3):  # alternate, so both see the same machine load
        big_ms.append(sheet(db, actor))
        small_ms.append(sheet(empty, empty_admin))
    big = bench.record_samples("checkin: attendance sheet PDF, 500-entry day (5 years)",
                               big_ms, target_ms=1000, note=note)
    small = bench.record_samples("checkin: attendance sheet PDF, 500-entry day (empty db)",
                                 small_ms, note="only that day")
    bench.record_value("checkin: attendance sheet PDF size", max(sizes) / 1024, "KB")
    bench.record_value("checkin: sheet 5-year / empty (p50)", big.p50 / small.p50, "x",
                       target=1.5)
    db.dispose()
    empty.dispose()
