"""Code that runs in separate desk processes (spawned) for the concurrency and crash tests.

Each desk opens its own Database on the same URL, waits at a barrier so all desks act at
the same moment, and reports plain strings ("ok:ID" or "refused:MESSAGE") on a queue.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sys
from typing import Any

from frontdesk.core.clock import CENTRE_TZ, FixedClock

# Lunch is open at 11:30 on the tests' pinned day.
LUNCH_TIME = dt.datetime(2026, 11, 22, 11, 30, tzinfo=CENTRE_TZ)


def _actor(db: Any, username: str, clock: FixedClock) -> Any:
    from frontdesk.core.operators import actor_for, get_operator

    with db.read() as session:
        return actor_for(get_operator(session, username), clock)


def _act(session: Any, actor: Any, scenario: str, target: Any) -> int:
    """One desk's attempt; returns the new record's id (raises RuleError when refused)."""
    if scenario == "lunch":
        from frontdesk.canteen import service as canteen

        return canteen.issue_ticket(session, actor, resident_id=target,
                                    expect_subsidised=True).id
    if scenario == "room":
        from frontdesk.rooms import service as rooms

        room_id, start = target
        return rooms.book(session, actor, rooms.BookingRequest(
            room_id, start, start + dt.timedelta(hours=1), rooms.internal_booker("党建活动"),
            purpose="concurrency")).id
    if scenario == "shop":
        from frontdesk.volunteers import shop

        volunteer_id, goods_id = target
        return shop.redeem(session, actor, volunteer_id,
                           [shop.BasketLine(goods_id, 1)]).redemption_id
    if scenario == "checkin":
        from frontdesk.checkin import service as checkin

        resident_id, purpose_id = target
        return checkin.check_in(session, actor, resident_id=resident_id,
                                purpose_id=purpose_id).entry.id
    raise ValueError(scenario)


def desk(url: str, scenario: str, targets: list[Any], barrier: Any, results: Any,
         desk_no: int) -> None:
    """Attempt ``scenario`` on each target in turn, all desks together per round."""
    from frontdesk.core.db import Database
    from frontdesk.core.errors import FrontdeskError

    db = Database(url)
    actor = _actor(db, "admin", FixedClock(LUNCH_TIME))
    for round_no, target in enumerate(targets):
        barrier.wait(timeout=120)
        try:
            with db.session() as session:
                new_id = _act(session, actor, scenario, target)
            results.put((desk_no, round_no, f"ok:{new_id}"))
        except FrontdeskError as exc:
            results.put((desk_no, round_no, f"refused:{exc.message}"))
        except Exception as exc:  # a crash is an outcome the test must see, not hang on
            results.put((desk_no, round_no, f"crash:{type(exc).__name__}: {exc}"))
    db.dispose()


def run_desks(url: str, scenario: str, targets: list[Any], desks: int
              ) -> dict[int, list[str]]:
    """Run ``desks`` processes over the same ``targets``; returns round -> outcomes."""
    return run_desks_per_desk(url, scenario, [targets] * desks)


def run_desks_per_desk(url: str, scenario: str, targets: list[list[Any]]
                       ) -> dict[int, list[str]]:
    """One process per list in ``targets`` (desk n works through ``targets[n]``), all
    desks acting together round by round; returns round -> the desks' outcomes."""
    ctx = mp.get_context("spawn")
    desks, rounds = len(targets), len(targets[0])
    barrier = ctx.Barrier(desks)
    results = ctx.Queue()
    procs = [ctx.Process(target=desk, args=(url, scenario, mine, barrier, results, n))
             for n, mine in enumerate(targets)]
    for p in procs:
        p.start()
    outcomes: dict[int, list[str]] = {r: [] for r in range(rounds)}
    for _ in range(desks * rounds):
        _desk, round_no, text = results.get(timeout=240)
        outcomes[round_no].append(text)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0, f"desk process exited with {p.exitcode}"
    return outcomes


def write_stream(url: str, resident_ids: list[int], lunch_ids: list[int]) -> None:
    """Write check-ins and meal tickets forever, printing each id once it is committed.

    The crash test kills this process at random moments and then checks the database
    against what was printed.
    """
    from frontdesk.canteen import service as canteen
    from frontdesk.checkin import service as checkin
    from frontdesk.core.db import Database

    db = Database(url)
    clock = FixedClock(LUNCH_TIME)
    actor = _actor(db, "admin", clock)
    n = 0
    while True:
        n += 1
        clock.advance(seconds=1)
        with db.session() as session:
            row = checkin.check_in(session, actor, resident_id=resident_ids[n % len(resident_ids)],
                                   confirm_repeat=True).entry
        print(f"checkin {row.id}", flush=True)
        with db.session() as session:
            ticket = canteen.issue_ticket(session, actor, resident_id=lunch_ids[n % len(lunch_ids)],
                                          override_reason=None, payment="cash")
        print(f"ticket {ticket.id}", flush=True)


if __name__ == "__main__":  # python -m tests.reliability.workers URL RESIDENTS LUNCH_IDS
    write_stream(sys.argv[1], [int(x) for x in sys.argv[2].split(",")],
                 [int(x) for x in sys.argv[3].split(",")])
