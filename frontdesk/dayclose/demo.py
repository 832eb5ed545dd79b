"""The day-close part of `frontdesk demo`: the last few days closed, exported and printed.

Each past day is closed by a desk operator at 18:30 that evening (cash counted as the
tickets say, the day's warnings acknowledged), exported to ``exports/`` in the data
folder, and its daily summary archived, so the close page and 文档 show real history.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from frontdesk.core import operators
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.dayguard import is_day_closed
from frontdesk.core.errors import NotFoundError
from frontdesk.core.i18n import tr
from frontdesk.core.paths import data_dir
from frontdesk.dayclose import service
from frontdesk.dayclose.package import sha256, write_package
from frontdesk.dayclose.registry import ExportOptions, gather_day
from frontdesk.documents import service as documents

DEMO_DAYS = 4


def _closer(session: Session, admin: Actor, day: dt.date) -> Actor:
    """A desk operator (else the admin) acting at 18:30 on ``day``."""
    evening = FixedClock(dt.datetime.combine(day, dt.time(18, 30), CENTRE_TZ))
    try:
        return operators.actor_for(operators.get_operator(session, "lin"), evening)
    except NotFoundError:
        return Actor(admin.operator_id, admin.username, admin.display_name, admin.role, evening)


def demo_step(session: Session, actor: Actor, rng: random.Random) -> str:
    """Close, export and print the summary of the last few days that are still open."""
    folder = data_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    closed = []
    for back in range(DEMO_DAYS, 0, -1):
        day = actor.today() - dt.timedelta(days=back)
        if is_day_closed(session, day):
            continue
        by = _closer(session, actor, day)
        part = gather_day(session, day, ExportOptions())
        counted = {"cash": part.expected_payments.get("cash", 0)}
        codes = {w.code for w in part.warnings}
        codes |= {w.code for w in service.cash_warnings(part.expected_payments, counted)}
        service.close_day(session, by, day, counted_cash=counted, acknowledged=codes)
        export = service.build_day_export(session, by, day)
        path = write_package(folder, export)
        service.record_export(session, by, export, path, sha256(path.read_bytes()))
        documents.archive_document(
            session, by, kind=service.SUMMARY_KIND,
            title=tr("日结汇总表 {date}", date=day.isoformat()), paper=documents.PAPER_A4,
            pdf=service.day_summary_pdf(session, by, day), business_date=day,
            record_type="closed_day", record_id=day.isoformat())
        closed.append(day.isoformat())
    if not closed:
        return tr("日结：最近几天已日结，跳过。")
    return tr("日结：已日结并导出 {days}（数据包在 {folder}）。", days="、".join(closed),
              folder=str(folder))
