"""`frontdesk bench` suite for volunteers: five years of history, then the desk's two
hot paths — a 3-item basket redeemed, and a balance looked up."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from sqlalchemy import Table, insert

from frontdesk.bench.harness import BenchRun
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.ids import after_explicit_ids
from frontdesk.core.migrate import open_database
from frontdesk.residents.models import Resident
from frontdesk.volunteers import ledger, service, shop
from frontdesk.volunteers.models import (
    EARNED,
    SOURCE_MANUAL,
    LedgerHead,
    PointsEntry,
    ServiceRecord,
    Volunteer,
)

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CENTRE_TZ)
ENTRY_COLUMNS: list[str] = cast(Table, PointsEntry.__table__).columns.keys()


def _history(session: Any, actor: Actor, volunteers: list[int], activity: int, years: int,
             per_day: int, rng: random.Random) -> int:
    """Bulk-write ``years`` of service records and their chained ledger entries."""
    records: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    balances = dict.fromkeys(volunteers, 0)
    prev_hash, entry_id = ledger.GENESIS_HASH, 0
    day = NOW.date() - dt.timedelta(days=365 * years)
    record_id = 0
    while day < NOW.date():
        for vid in rng.sample(volunteers, per_day):
            record_id += 1
            minutes = rng.choice((60, 90, 120, 150))
            at = dt.datetime.combine(day, dt.time(17), CENTRE_TZ)
            records.append(dict(id=record_id, volunteer_id=vid, activity_id=activity,
                                service_date=day, started_at=None, ended_at=None,
                                minutes=minutes, credited_minutes=minutes, points=minutes // 60,
                                source=SOURCE_MANUAL, reason="bench", verified_by="bench",
                                status="done", void_reason="", request_key=None, created_at=at,
                                created_by=actor.username))
            entry_id += 1
            balances[vid] += minutes // 60
            e = PointsEntry(id=entry_id, volunteer_id=vid, kind=EARNED, points=minutes // 60,
                            balance_after=balances[vid], at=at, business_date=day,
                            source_key=f"service:{record_id}", service_record_id=record_id,
                            redemption_id=None, reverses_id=None, reason="bench",
                            operator=actor.username, prev_hash=prev_hash)
            e.hash = prev_hash = ledger.entry_hash(e)
            entries.append({c: getattr(e, c) for c in ENTRY_COLUMNS})
        day += dt.timedelta(days=1)
    session.execute(insert(ServiceRecord), records)
    session.execute(insert(PointsEntry), entries)
    after_explicit_ids(session, ServiceRecord, PointsEntry)
    session.add(LedgerHead(id=1, last_entry_id=entry_id, last_hash=prev_hash))
    for vid, bal in balances.items():
        session.get(Volunteer, vid).balance = bal
    return entry_id


def run(bench: BenchRun) -> None:
    """Five years (full) or half a year (small) of service, then time the desk's work."""
    if not (bench.wanted("volunteers") or bench.wanted("redemption") or bench.wanted("balance")):
        return
    full = bench.scale == "full"
    years, people, per_day = (5, 300, 15) if full else (1, 30, 4)
    db = open_database(f"sqlite:///{bench.workdir / 'volunteers.sqlite3'}")
    clock = FixedClock(NOW)
    rng = random.Random(8)
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH08",
                           town="测试镇", admin_username="admin",
                           admin_password="bench-password", clock=clock)
        residents = [Resident(name=f"志愿者{i}", card_code=f"B{i:05d}", id_type="none",
                              created_at=NOW, updated_at=NOW) for i in range(people)]
        session.add_all(residents)
        session.flush()
        cat = service.create_category(session, admin, "助老服务", 1)
        activity = service.create_activity(session, admin, "助老陪伴", cat)
        volunteers = [service.enroll(session, admin, r.id).id for r in residents]
        goods = [shop.add_goods(session, admin, name, price).id
                 for name, price in (("香皂", 12), ("洗衣液", 30), ("炒锅", 40), ("大米", 44))]
        for g in goods:
            shop.restock(session, admin, g, 5000)
        n_entries = _history(session, admin, volunteers, activity, years, per_day, rng)
    hot = volunteers[0]
    with db.session() as session:  # enough points for every timed basket
        service.adjust(session, admin, hot, 50_000, "bench")
    basket = [shop.BasketLine(goods[0], 1), shop.BasketLine(goods[1], 1),
              shop.BasketLine(goods[3], 1)]

    from frontdesk.documents import fonts
    from frontdesk.volunteers import papers

    fonts.register_fonts()  # once per process, at start-up of the printing path

    def redeem() -> None:
        # What the desk does on 确认兑换: the redemption commits, then the receipt's
        # PDF bytes are rendered from it (archiving and the print dialog are not timed).
        with db.session() as session:
            receipt = shop.redeem(session, admin, hot, basket)
        with db.read() as session:
            pdf = papers.receipt_pdf(session, admin, receipt)
        assert pdf.startswith(b"%PDF-")

    bench.time(f"volunteers: 3-item basket redeemed + 80 mm receipt PDF ({n_entries} entries)",
               redeem, repeat=60 if full else 20, target_ms=80,
               note="commit, then the receipt rendered to PDF bytes")

    def lookup() -> None:
        with db.read() as session:
            service.balance(session, rng.choice(volunteers))

    bench.time(f"volunteers: balance lookup ({n_entries} ledger entries)", lookup,
               repeat=300 if full else 50, target_ms=5)

    def verify() -> None:
        with db.read() as session:
            assert ledger.verify_ledger(session).intact

    bench.time(f"volunteers: verify whole ledger ({n_entries} entries)", verify,
               repeat=3 if full else 2, warmup=1)
    db.dispose()
