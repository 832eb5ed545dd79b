"""The points ledger (积分流水): append-only entries in one hash chain.

Every entry stores the hash of the entry before it and a hash of its own fields, so a
row edited, inserted or deleted behind the program's back breaks the chain and
:func:`verify_ledger` names it. Each append also updates the volunteer's running
balance in the same transaction, which keeps a balance lookup to one row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.volunteers.models import LedgerHead, PointsEntry, Volunteer

GENESIS_HASH = "0" * 64
PROGRESS_EVERY = 2000


def entry_hash(entry: PointsEntry) -> str:
    """The SHA-256 of an entry's fields and the previous entry's hash."""
    at = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    fields = (
        entry.prev_hash, entry.id, entry.volunteer_id, entry.kind, entry.points,
        entry.balance_after, at, entry.business_date.isoformat(), entry.source_key or "",
        entry.service_record_id or "", entry.redemption_id or "", entry.reverses_id or "",
        entry.reason, entry.operator,
    )
    return hashlib.sha256("\x1f".join(str(f) for f in fields).encode("utf-8")).hexdigest()


def lock(session: Session) -> None:
    """Hold the ledger's head row until commit (queues concurrent redemptions/awards)."""
    _head(session)


def _head(session: Session) -> LedgerHead:
    # FOR UPDATE queues concurrent appends on PostgreSQL; SQLite's BEGIN IMMEDIATE already does.
    head = session.scalar(select(LedgerHead).where(LedgerHead.id == 1).with_for_update())
    if head is None:
        head = LedgerHead(id=1, last_entry_id=0, last_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    return head


def find_by_source(session: Session, source_key: str) -> PointsEntry | None:
    """The entry written for ``source_key`` (a service record, a reversal...), if any."""
    return session.scalar(select(PointsEntry).where(PointsEntry.source_key == source_key))


def append(
    session: Session,
    actor: Actor,
    volunteer_id: int,
    kind: str,
    points: int,
    *,
    reason: str = "",
    source_key: str | None = None,
    service_record_id: int | None = None,
    redemption_id: int | None = None,
    reverses_id: int | None = None,
) -> PointsEntry:
    """Append one entry and move the volunteer's balance; refuses a negative balance.

    With a ``source_key`` already in the ledger, returns that entry instead (idempotent).
    """
    if source_key is not None:
        existing = find_by_source(session, source_key)
        if existing is not None:
            return existing
    ensure_day_open(session, actor.today())  # the entry is dated today
    head = _head(session)
    # One conditional UPDATE: two desks spending the last points cannot both pass.
    changed = session.execute(
        update(Volunteer)
        .where(Volunteer.id == volunteer_id, Volunteer.balance + points >= 0)
        .values(balance=Volunteer.balance + points)
        .returning(Volunteer.balance)
    ).scalar()
    if changed is None:
        volunteer = session.get(Volunteer, volunteer_id)
        if volunteer is None:
            raise NotFoundError(tr("没有这位志愿者（编号 {id}）。", id=volunteer_id))
        raise RuleError(tr("积分不足：当前余额 {balance} 分，需要 {need} 分。",
                           balance=volunteer.balance, need=-points))
    now = actor.now()
    entry = PointsEntry(
        id=head.last_entry_id + 1, volunteer_id=volunteer_id, kind=kind, points=points,
        balance_after=changed, at=now, business_date=actor.today(), source_key=source_key,
        service_record_id=service_record_id, redemption_id=redemption_id,
        reverses_id=reverses_id, reason=reason, operator=actor.username,
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    head.last_entry_id = entry.id
    head.last_hash = entry.hash
    try:
        session.flush()
    except IntegrityError:
        raise RuleError(tr("这笔积分已经记过，不能重复记入。")) from None
    # (A Volunteer already in the session was updated by the UPDATE itself.)
    return entry


@dataclass(frozen=True)
class LedgerProblem:
    """One broken place in the chain."""

    entry_id: int
    problem: str


@dataclass(frozen=True)
class LedgerCheck:
    """The result of walking the chain."""

    entries: int
    problems: tuple[LedgerProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def head_state(session: Session) -> tuple[int, str]:
    """The chain's end (last entry id, its hash): a check's result holds while it is unchanged."""
    head = session.get(LedgerHead, 1)
    return (0, GENESIS_HASH) if head is None else (head.last_entry_id, head.last_hash)


def verify_ledger(session: Session,
                  progress: Callable[[int, int], object] | None = None) -> LedgerCheck:
    """Walk the whole chain: hashes, links, running balances and the stored balances.

    ``progress(done, total)`` is called every few thousand entries (for a progress bar).
    """
    total = head_state(session)[0]
    problems: list[LedgerProblem] = []
    prev_hash, expected_id, count = GENESIS_HASH, 1, 0
    running: dict[int, int] = {}
    rows = session.execute(select(PointsEntry).order_by(PointsEntry.id)).scalars()
    for entry in rows:
        count += 1
        if entry.id != expected_id:
            missing = (str(expected_id) if entry.id - 1 == expected_id
                       else f"{expected_id}–{entry.id - 1}")
            problems.append(LedgerProblem(entry.id, tr("流水 {ids} 缺失（被删除）", ids=missing)))
        elif entry.prev_hash != prev_hash:
            problems.append(LedgerProblem(entry.id, tr("与上一条流水的链接不符")))
        if entry_hash(entry) != entry.hash:
            problems.append(LedgerProblem(entry.id, tr("内容被改动（校验值不符）")))
        balance = running.get(entry.volunteer_id, 0) + entry.points
        if balance != entry.balance_after or balance < 0:
            problems.append(LedgerProblem(entry.id, tr(
                "余额不连续：应为 {expected}，记录为 {recorded}", expected=balance,
                recorded=entry.balance_after)))
        # Carry on from what the row says, so one break is reported once, not on every
        # later entry of the same volunteer.
        running[entry.volunteer_id] = entry.balance_after
        prev_hash, expected_id = entry.hash, entry.id + 1
        session.expunge(entry)  # keep memory flat on a long ledger
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, max(total, count))
    head = session.get(LedgerHead, 1)
    last_id = head.last_entry_id if head is not None else 0
    if last_id != expected_id - 1 or (head is not None and head.last_hash != prev_hash):
        problems.append(LedgerProblem(last_id, tr("最后的流水被删除或改动（链尾不符）")))
    for vid, stored in session.execute(select(Volunteer.id, Volunteer.balance)):
        if running.get(vid, 0) != stored:
            problems.append(LedgerProblem(0, tr(
                "志愿者 {id} 的余额 {stored} 与流水最后余额 {total} 不符", id=vid, stored=stored,
                total=running.get(vid, 0))))
    return LedgerCheck(count, tuple(problems))
