"""Canteen: scan → ticket committed with its receipt PDF, and the monthly claim (XLSX + PDF).

``full`` builds 5 years of lunches at 40 meals a day (about 73,000 tickets) over 2,000
elders; ``small`` builds 60 days over 200 elders.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from frontdesk.bench.harness import BenchRun


def run(bench: BenchRun) -> None:
    """Build the history, then time the lunchtime scan and the month's claim."""
    if not (bench.wanted("canteen") or bench.wanted("claim")):
        return
    from frontdesk.canteen import papers, reports
    from frontdesk.canteen import service as svc
    from frontdesk.canteen.demo import demo_elders
    from frontdesk.canteen.setup import bulk_history, install_reference_canteen
    from frontdesk.core.actor import Actor
    from frontdesk.core.centre import initialise
    from frontdesk.core.clock import CENTRE_TZ, FixedClock
    from frontdesk.core.migrate import open_database

    full = bench.scale == "full"
    rng = random.Random(6)
    today = dt.date(2026, 11, 23)
    clock = FixedClock(dt.datetime(2026, 11, 23, 11, 30, tzinfo=CENTRE_TZ))
    db = open_database(f"sqlite:///{bench.workdir / 'canteen.sqlite3'}")
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH06",
                           town="测试镇", admin_username="admin", admin_password="bench-pass",
                           clock=clock)
        install_reference_canteen(session, admin)
        lunch = svc.session_by_name(session, "午餐")  # no place limit: the queue runs long
        svc.update_session(session, admin, lunch.id, price_fen=lunch.price_fen, capacity=None,
                           menu=lunch.menu, start_time=lunch.start_time,
                           end_time=lunch.end_time)
        elders = demo_elders(session, admin, rng, want=2000 if full else 200)
    first = today - dt.timedelta(days=5 * 365 if full else 60)
    started = time.perf_counter()
    with db.session() as session:
        history = bulk_history(session, admin, elders, first, today - dt.timedelta(days=1), 40,
                               rng, svc.active_rule_specs(session), svc.self_funder_id(session))
    bench.record_value("canteen: history tickets written (bulk)", history.tickets, "n",
                       note=f"{time.perf_counter() - started:.1f} s")
    actor = Actor(admin.operator_id, admin.username, admin.display_name, admin.role, clock)
    cards = iter([e.card_code for e in elders if e.card_code] * 2)

    def scan_to_ticket() -> None:
        with db.session() as session:
            ticket = svc.issue_from_scan(session, actor, next(cards))
        with db.read() as session:
            pdf, _paper = papers.receipt_pdf(session, actor, ticket.id)
        assert pdf.startswith(b"%PDF-")

    bench.time("canteen: scan → ticket committed + receipt PDF bytes", scan_to_ticket,
               repeat=100 if full else 30, target_ms=80)
    month = f"{today - dt.timedelta(days=40):%Y-%m}"

    def claim() -> None:
        with db.session() as session:
            data, pdf = papers.claim_with_pdf(session, actor, month)
        reports.write_claim_xlsx(data, bench.workdir / "claim.xlsx")
        (bench.workdir / "claim.pdf").write_bytes(pdf)

    bench.time("canteen: monthly claim, 40 meals/day, data + XLSX + PDF", claim,
               repeat=5 if full else 3, warmup=1, target_ms=2000)
    bench.time("canteen: daily sheet PDF (yesterday, 40 meals)",
               lambda: _sheet(db, papers, actor, today - dt.timedelta(days=1)),
               repeat=20 if full else 5)
    db.dispose()


def _sheet(db: object, papers: object, actor: object, day: dt.date) -> None:
    with db.read() as session:  # type: ignore[attr-defined]
        papers.daily_sheet_pdf(session, actor, day)  # type: ignore[attr-defined]
