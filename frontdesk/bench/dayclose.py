"""Day close benchmark: the town merge of 12 centres × 31 days (issue 9).

The packages are written with the real package writer from synthetic days of realistic
size (about 1,000 check-ins, 100 meals, 30 bookings, 50 redemptions a day). Close + export
of a day against a 5-year database comes with the features' data (second round).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from frontdesk.bench.harness import BenchRun, percentile
from frontdesk.core.actor import Actor
from frontdesk.core.centre import CentreInfo
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.core.masking import mask_id_number, mask_phone
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import DayExport, Row, SheetData, write_package

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = "秀英桂兰玉珍明华建国志强丽娟海燕德福金水阿婆春梅文杰雅婷子涵"
PURPOSES = ("老有所养", "幼有所育", "病有所医", "食有所安", "居有所乐", "事有所办")
DAY_SIZES = {fmt.CHECKINS: 1000, fmt.GROUPS: 40, fmt.MEALS: 100, fmt.BOOKINGS: 30,
             fmt.VOLUNTEER: 25, fmt.REDEMPTIONS: 50, fmt.STOCK: 60}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _id(rng: random.Random, year: int) -> str:
    return f"350582{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"


def synthetic_day(centre: CentreInfo, day: dt.date, seed: int,
                  sizes: dict[str, int] | None = None) -> DayExport:
    """A closed day of realistic size and shape (for benchmarks and tests)."""
    rng = random.Random(seed)
    sizes = DAY_SIZES if sizes is None else sizes
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=CENTRE_TZ)

    def at(minute: int) -> dt.datetime:
        return start + dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))

    staff = ("林小燕", "陈志强")
    checkins: list[Row] = []
    for i in range(sizes.get(fmt.CHECKINS, 0)):
        t = at(i * 600 // max(1, sizes[fmt.CHECKINS]))
        void = rng.random() < 0.01
        checkins.append((i + 1, t, t + dt.timedelta(minutes=rng.randint(5, 120)), _name(rng),
                         rng.choice("男女"), rng.randint(6, 92), mask_id_number(_id(rng, 1950)),
                         mask_phone(f"13{rng.randint(100000000, 999999999)}"),
                         rng.choice(PURPOSES), "咨询办事", rng.choice(staff), "已办结", "",
                         fmt.STATUS_VOID if void else fmt.STATUS_VALID, "重复登记" if void else ""))
    groups: list[Row] = []
    for i in range(sizes.get(fmt.GROUPS, 0)):
        tally = rng.random() < 0.8
        groups.append((i + 1, at(rng.randint(0, 600)), "计数" if tally else "团体",
                       rng.choice(("外卖员", "快递员", "环卫工人", "其他")) if tally else "学生",
                       "" if tally else "实验小学三年级", 1 if tally else rng.randint(10, 40),
                       "红蜂驿站休息" if tally else "党史讲座",
                       "红蜂驿站" if tally else "邻里会事厅",
                       rng.choice(staff), fmt.STATUS_VALID, ""))
    meals: list[Row] = []
    funder_sums = [0, 0, 0, 0]
    for i in range(sizes.get(fmt.MEALS, 0)):
        price = rng.choice((990, 800, 1200))
        gov = rng.choice((0, 300, 500)) if price >= 800 else 0
        village, charity = rng.choice((0, 100)), rng.choice((0, 50))
        own = price - gov - village - charity
        for k, v in enumerate((gov, village, charity, own)):
            funder_sums[k] += v
        delivered = rng.random() < 0.1
        meals.append((day, f"M{day:%Y%m%d}{i + 1:04d}", at(rng.randint(180, 300)), _name(rng),
                      mask_id_number(_id(rng, 1940)), rng.randint(60, 95),
                      rng.choice(("80岁以上", "60-79岁", "低保", "普通")), "午餐",
                      "送餐" if delivered else "堂食", price, gov, village, charity, own,
                      rng.choice(("现金", "微信", "支付宝")), delivered,
                      "已送达" if delivered else "", "", "", rng.choice(staff),
                      fmt.STATUS_VALID, ""))
    bookings: list[Row] = []
    for i in range(sizes.get(fmt.BOOKINGS, 0)):
        b = at(rng.randint(0, 540))
        bookings.append((f"B{day:%Y%m%d}{i + 1:03d}", rng.choice(("企业共享会议室", "四点钟学校",
                                                                 "乒乓球室", "邻里会事厅")),
                         b, b + dt.timedelta(minutes=90), 90, "晋江某某公司",
                         mask_phone("13912345678"), rng.randint(2, 30), "党建共建会议", "",
                         rng.choice(("已使用", "已使用", "爽约", "已取消")), rng.choice(staff), ""))
    service: list[Row] = []
    for i in range(sizes.get(fmt.VOLUNTEER, 0)):
        s = at(rng.randint(0, 300))
        service.append((f"V{day:%Y%m%d}{i + 1:03d}", f"JJ{rng.randint(10000, 99999)}",
                        _name(rng), mask_id_number(_id(rng, 1980)), "长者食堂帮厨", "助老",
                        s, s + dt.timedelta(minutes=120), 120, 2, "签到签退", "",
                        rng.choice(staff), fmt.STATUS_VALID, ""))
    redemptions: list[Row] = []
    stock: list[Row] = []
    for i in range(sizes.get(fmt.REDEMPTIONS, 0)):
        r = at(rng.randint(0, 600))
        item, price = rng.choice((("香皂", 12), ("大米5kg", 44), ("炒锅", 40)))
        redemptions.append((f"R{day:%Y%m%d}{i + 1:03d}", r, f"JJ{rng.randint(10000, 99999)}",
                            _name(rng), item, 1, price, price, rng.randint(0, 200),
                            rng.choice(staff), fmt.STATUS_VALID, ""))
        if len(stock) < sizes.get(fmt.STOCK, 0):
            stock.append((f"S{day:%Y%m%d}{i + 1:03d}", r, item, "件", "兑换出库", -1,
                          rng.randint(0, 80), f"R{day:%Y%m%d}{i + 1:03d}", "", "林小燕"))
    totals = {
        "checkin_visits": sum(1 for r in checkins if r[13] == fmt.STATUS_VALID),
        "group_entries": sum(1 for g in groups if g[2] == "团体"),
        "group_headcount": sum(int(str(g[5])) for g in groups if g[2] == "团体"),
        "tally_count": sum(1 for g in groups if g[2] == "计数"),
        "meals": len(meals), "meals_subsidised": sum(1 for m in meals if m[10]),
        "meals_delivered": sum(1 for m in meals if m[15] is True),
        "meal_price_fen": sum(funder_sums), "meal_gov_fen": funder_sums[0],
        "meal_village_fen": funder_sums[1], "meal_charity_fen": funder_sums[2],
        "meal_self_fen": funder_sums[3], "bookings_held": len(bookings),
        "volunteer_minutes": 120 * len(service), "points_earned": 2 * len(service),
        "points_redeemed": sum(int(str(r[7])) for r in redemptions),
        "redemptions": len(redemptions),
    }
    from frontdesk.dayclose.service import summary_rows

    tables = {fmt.SUMMARY: SheetData(fmt.SHEETS[0].columns, summary_rows(totals))}
    for spec, rows in zip(fmt.SHEETS[1:], (checkins, groups, meals, bookings, service,
                                           redemptions, stock), strict=True):
        tables[spec.name] = SheetData(spec.columns, tuple(rows))
    return DayExport(centre, day, start.replace(hour=18), "bench", "admin", False, False,
                     tables, {}, totals)


def _write_one(job: tuple[str, str, int, str, int]) -> str:
    code, iso_day, seed, out, shrink = job
    centre = CentreInfo(f"晋江市{code}社区党建+邻里中心", code, "梅岭街道")
    sizes = {name: n // shrink for name, n in DAY_SIZES.items()}
    day = synthetic_day(centre, dt.date.fromisoformat(iso_day), seed, sizes)
    return str(write_package(Path(out), day))


def run(bench: BenchRun) -> None:
    """Close + export of a busy day, then the town merge of 12 centres × 31 days."""
    run_close(bench)
    run_town(bench)


def run_town(bench: BenchRun) -> None:
    """Town merge of 12 centres × 31 days (full) or 2 × 3 (small)."""
    from frontdesk.dayclose.town import merge_packages, write_town_workbook

    # small: 2 centres × 3 days of a tenth of the size, so it runs in seconds
    centres, days, shrink = (12, 31, 1) if bench.scale == "full" else (2, 3, 10)
    size = "1,000 check-ins, 100 meals" if shrink == 1 else "100 check-ins, 10 meals"
    one_day = ("JJ00", "2026-10-01", 1, str(bench.workdir), shrink)
    bench.time(f"day package: write one day ({size})",
               lambda: _write_one(one_day), repeat=5 if shrink == 1 else 3, warmup=1,
               note="synthetic rows, package writer only")
    if not bench.wanted("town merge"):
        return
    folder = bench.workdir / "town-packages"
    folder.mkdir()
    first = dt.date(2026, 10, 1)
    jobs = [(f"JJ{c + 1:02d}", (first + dt.timedelta(days=d)).isoformat(), c * 100 + d,
             str(folder), shrink) for c in range(centres) for d in range(days)]
    started = time.perf_counter()
    if len(jobs) > 8:
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_write_one, jobs, chunksize=8))
    else:
        for job in jobs:
            _write_one(job)
    bench.record_value(f"town merge input: writing {len(jobs)} packages",
                       time.perf_counter() - started, "s",
                       note="2 processes" if len(jobs) > 8 else "")
    out = bench.workdir / "town.xlsx"

    def merge() -> None:
        write_town_workbook(merge_packages([folder]), out)

    bench.time(f"town merge {centres} centres × {days} days → town.xlsx", merge,
               repeat=3 if bench.scale == "full" else 5, warmup=1, target_ms=20_000)
    bench.record_value("town merge input size",
                       sum(p.stat().st_size for p in folder.iterdir()) / 1e6, "MB",
                       note=f"{len(jobs)} packages")


# ---- close + export of a busy day on a 5-year database (issue 9) ----------------------------

BUSY_DAY = dt.date(2026, 11, 22)  # the benches' "today": closing it is allowed that evening


def _busy_centre(bench: BenchRun, name: str, history: bool) -> tuple[Database, Actor]:
    """A centre with a busy day (1,000 check-ins, 100 meals, 30 bookings, 50 redemptions),
    on five years of history or none, written with the features' own bulk helpers."""
    from sqlalchemy import insert

    from frontdesk.canteen import service as canteen
    from frontdesk.canteen.demo import demo_elders
    from frontdesk.canteen.setup import bulk_history, install_reference_canteen
    from frontdesk.checkin import bench as checkin_bench
    from frontdesk.core.centre import initialise
    from frontdesk.core.clock import FixedClock
    from frontdesk.core.migrate import open_database
    from frontdesk.rooms import service as rooms
    from frontdesk.rooms.models import BOOKER_INTERNAL, CHECKED_IN, Booking
    from frontdesk.volunteers import service as volunteers
    from frontdesk.volunteers import shop

    full = bench.scale == "full"
    db = open_database(f"sqlite:///{bench.workdir / name}")
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH09",
                           town="测试镇", admin_username="admin",
                           admin_password="bench-password",
                           clock=FixedClock(dt.datetime.combine(BUSY_DAY, dt.time(8),
                                                                CENTRE_TZ)))
    rng = random.Random(9)
    years = 5 if full else 0.2
    first = BUSY_DAY - dt.timedelta(days=int(365 * years))
    with db.session() as session:
        install_reference_canteen(session, admin)
        elders = demo_elders(session, admin, rng, want=400 if full else 120)
    people = len(elders)  # resident ids 1..people: the check-ins' visitors
    if history:
        day = first
        rows: list[tuple[object, ...]] = []
        while day < BUSY_DAY:
            rows.extend(checkin_bench._day_rows(day, 270 if full else 30, people, rng))
            if len(rows) >= 50_000:
                checkin_bench._insert_checkins(db, iter(rows))
                rows = []
            day += dt.timedelta(days=1)
        checkin_bench._insert_checkins(db, iter(rows))
    checkin_bench._insert_checkins(db, checkin_bench._day_rows(BUSY_DAY, 1000, people, rng))
    with db.session() as session:
        rules, self_id = canteen.active_rule_specs(session), canteen.self_funder_id(session)
        if history:
            bulk_history(session, admin, elders, first, BUSY_DAY - dt.timedelta(days=1), 40,
                         rng, rules, self_id)
        bulk_history(session, admin, elders, BUSY_DAY, BUSY_DAY, 100, rng, rules, self_id)
        room_ids = [rooms.create_room(session, admin, f"活动室{i + 1}", capacity=40).id
                    for i in range(3)]
    bookings = []
    day = first if history else BUSY_DAY
    stamp = dt.datetime.combine(first, dt.time(8), CENTRE_TZ)
    while day <= BUSY_DAY:
        per_room = 10 if day == BUSY_DAY else 3
        for room in room_ids:
            for slot in range(per_room):
                start = dt.datetime.combine(day, dt.time(8 + slot), CENTRE_TZ)
                bookings.append({
                    "room_id": room, "series_id": None, "is_exception": False, "start": start,
                    "end": start + dt.timedelta(minutes=50), "business_date": day,
                    "purpose": "活动", "booker_kind": BOOKER_INTERNAL, "resident_id": None,
                    "organisation_id": None, "booker_name": "社工站", "headcount": 10,
                    "phone": "", "notes": "", "status": CHECKED_IN, "cancel_reason": "",
                    "checked_in_at": None, "created_at": stamp, "created_by": "admin",
                    "updated_at": stamp})
        day += dt.timedelta(days=1)
    clock = FixedClock(dt.datetime.combine(BUSY_DAY, dt.time(12), CENTRE_TZ))
    actor = Actor(admin.operator_id, admin.username, admin.display_name, admin.role, clock)
    with db.session() as session:
        for i in range(0, len(bookings), 20_000):
            session.execute(insert(Booking), bookings[i:i + 20_000])
        cat = volunteers.create_category(session, actor, "助老服务", 1)
        volunteers.create_activity(session, actor, "助老陪伴", cat)
        goods = shop.add_goods(session, actor, "香皂", 12).id
        shop.restock(session, actor, goods, 500)
        volunteer = volunteers.enroll(session, actor, elders[0].id).id
        volunteers.adjust(session, actor, volunteer, 5_000, "bench")
    for _ in range(50):
        with db.session() as session:
            shop.redeem(session, actor, volunteer, [shop.BasketLine(goods, 1)])
    clock.advance(hours=6)  # the close happens that evening
    return db, actor


def _close_and_export(bench: BenchRun, db: Database, actor: Actor, label: str,
                      target_ms: float | None) -> float:
    """Time close + export of the busy day, and the backup taken with the close, apart.

    The backup copies the whole database file, so it grows with the history by nature;
    the close and the export themselves must not. Reopened between runs (not timed).
    """
    from frontdesk.core.backup import backup_database
    from frontdesk.dayclose import service

    out = bench.workdir / f"export-{label}"
    out.mkdir()
    work, backups = [], []
    for i in range(4 if bench.scale == "full" else 2):
        if i:
            with db.session() as session:
                service.reopen_day(session, actor, BUSY_DAY, "bench")
        started = time.perf_counter()
        with db.session() as session:
            part = service.gather_day(session, BUSY_DAY, service.ExportOptions())
            counted = {"cash": part.expected_payments.get("cash", 0)}
            codes = {w.code for w in part.warnings} | {
                w.code for w in service.cash_warnings(part.expected_payments, counted)}
            service.close_day(session, actor, BUSY_DAY, counted_cash=counted,
                              acknowledged=codes)
        service.export_days(db, actor, BUSY_DAY, BUSY_DAY, out)
        middle = time.perf_counter()
        backup_database(db, reason="bench", dest_dir=bench.workdir / f"backups-{label}",
                        keep=2)
        work.append((middle - started) * 1000)
        backups.append((time.perf_counter() - middle) * 1000)
    result = bench.record_samples(f"dayclose: close + export of a busy day ({label})",
                                  work[1:], target_ms=target_ms,
                                  note="measures the DAY_EXPORTERS registered")
    bench.record_samples(f"dayclose: + the close's database backup ({label})", backups[1:],
                         note="a file copy: grows with the database")
    bench.record_value(f"dayclose: close + export + backup, p50 ({label})",
                       result.p50 + percentile(backups[1:], 50), "ms", target=target_ms)
    return result.p50


def run_close(bench: BenchRun) -> None:
    """Close + export of a busy day on a 5-year database, against the same day alone."""
    if not bench.wanted("dayclose: close"):
        return
    from frontdesk.dayclose.registry import DAY_EXPORTERS

    db5, actor5 = _busy_centre(bench, "dayclose-5y.sqlite3", history=True)
    db0, actor0 = _busy_centre(bench, "dayclose-1d.sqlite3", history=False)
    label = "5 years" if bench.scale == "full" else "small history"
    big = _close_and_export(bench, db5, actor5, label, 3000)
    small = _close_and_export(bench, db0, actor0, "empty history", None)
    bench.record_value("dayclose: close + export (no backup), history / empty", big / small, "x",
                       target=1.5, note=f"{len(DAY_EXPORTERS)} exporters registered")
    for db in (db5, db0):
        db.dispose()
