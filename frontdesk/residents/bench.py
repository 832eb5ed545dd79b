"""Benchmark: search per keystroke at 50,000 residents (each kind of query), and importing a
20,000-row XLSX. ``--scale small`` uses 2,000 residents and a 1,000-row file."""

from __future__ import annotations

import datetime as dt
import random
import time

from sqlalchemy import insert

from frontdesk.bench.harness import BenchRun
from frontdesk.core.centre import initialise
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.ids import after_explicit_ids
from frontdesk.core.migrate import open_database
from frontdesk.residents.demo import FakePerson, fake_person
from frontdesk.residents.models import STATUS_ACTIVE, Resident, ResidentTag

NOW = dt.datetime(2026, 11, 22, 10, 0)
SEARCH_TARGET_MS = 15
IMPORT_TARGET_MS = 20_000


def _people(rng: random.Random, count: int) -> list[FakePerson]:
    today = NOW.date()
    return [fake_person(rng, today, f"B{i // 3:06d}") for i in range(count)]


def _fill(db: Database, people: list[FakePerson]) -> None:
    """Insert residents directly (the registry's own rows: pinyin keys and card codes)."""
    from frontdesk.residents.pinyin import pinyin_keys
    from frontdesk.residents.service import CARD_PREFIX, luhn_digit

    now = FixedClock(NOW).now()
    rows: list[dict[str, object]] = []
    tags: list[dict[str, object]] = []
    seen: set[str] = set()
    for i, p in enumerate(people, start=1):
        if p.id_number in seen:
            continue
        seen.add(p.id_number)
        full, initials = pinyin_keys(p.name)
        body = CARD_PREFIX + f"{i:010d}"
        rows.append(dict(
            id=i, name=p.name, sex=p.sex, birth_date=p.birth_date, id_type="ric",
            id_number=p.id_number, phone=p.phone or None, address=p.address, grid=p.grid,
            hukou=p.hukou, household=p.household, card_code=body + luhn_digit(body),
            status=STATUS_ACTIVE, temporary=False, consent_general=True,
            consent_sensitive=False, consent_guardian=False, created_at=now, updated_at=now,
            name_pinyin=full, name_initials=initials, change_seq=1))
        tags.extend(dict(resident_id=i, tag=t) for t in p.tags)
    with db.session() as session:
        session.execute(insert(Resident), rows)
        if tags:
            session.execute(insert(ResidentTag), tags)
        after_explicit_ids(session, Resident)


def _first(keys: str) -> str:
    return keys.split()[0]


def _keystrokes(text: str, start: int = 1) -> list[str]:
    return [text[:n] for n in range(start, len(text) + 1)]


def run(bench: BenchRun) -> None:
    """Search kinds at 50,000 residents, then the XLSX import."""
    if not (bench.wanted("residents") or bench.wanted("search") or bench.wanted("import")):
        return
    full = bench.scale == "full"
    count = 50_000 if full else 2_000
    rng = random.Random(7)
    url = f"sqlite:///{bench.workdir / 'residents.sqlite3'}"
    db = open_database(url)
    with db.session() as session:
        initialise(session, centre_name="基准测试中心", centre_code="BENCH02", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    people = _people(rng, count)
    _fill(db, people)
    _search_suite(bench, db, people, rng, count)
    _import_suite(bench, rng, 20_000 if full else 1_000)
    db.dispose()


def _search_suite(bench: BenchRun, db: Database, people: list[FakePerson],
                  rng: random.Random, count: int) -> None:
    from frontdesk.residents.pinyin import pinyin_keys
    from frontdesk.residents.search import forget_indexes, search_residents

    label = f"{count:,}"
    forget_indexes()
    if bench.wanted(f"residents: search index build ({label})"):
        with db.read() as session:
            start = time.perf_counter()
            search_residents(session, "张")
            bench.record_value(f"residents: search index build ({label})",
                               (time.perf_counter() - start) * 1000, "ms",
                               note="once per process, on the first search")
    sample = rng.sample(people, 40)
    with db.read() as session:
        cards = {r.id_number: r.card_code for r in
                 (search_residents(session, p.id_number, 1)[0] for p in sample[:20])}
    kinds: dict[str, list[str]] = {
        "Chinese name": [q for p in sample for q in _keystrokes(p.name)],
        "full pinyin": [q for p in sample for q in _keystrokes(_first(pinyin_keys(p.name)[0]))],
        "pinyin initials": [q for p in sample for q in _keystrokes(_first(pinyin_keys(p.name)[1]))],
        "phone (full, typed)": [q for p in sample if p.phone for q in _keystrokes(p.phone, 3)],
        "phone last 4": [p.phone[-4:] for p in sample if p.phone],
        "ID number (typed)": [q for p in sample for q in _keystrokes(p.id_number, 4)],
        "ID last 4-6": [p.id_number[-n:] for p in sample for n in (4, 5, 6)],
        "card code (scan)": [c for c in cards.values() if c],
    }
    with db.read() as session:
        for kind, queries in kinds.items():
            name = f"residents: search per keystroke, {kind} ({label})"
            if not bench.wanted(name):
                continue
            samples = []
            for q in queries:
                start = time.perf_counter()
                found = search_residents(session, q)
                samples.append((time.perf_counter() - start) * 1000)
                assert found or len(q) < 2, q  # a real query for a real person finds someone
            bench.record_samples(name, samples, target_ms=SEARCH_TARGET_MS,
                                 note=f"{len(queries)} queries")


def _import_suite(bench: BenchRun, rng: random.Random, rows: int) -> None:
    name = f"residents: import {rows:,}-row XLSX"
    if not bench.wanted(name):
        return
    from openpyxl import Workbook

    from frontdesk.core.operators import actor_for, first_active_admin
    from frontdesk.residents.importer import guess_mapping, import_residents, read_table

    path = bench.workdir / "import.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(["姓名", "性别", "身份证号码", "联系电话", "家庭住址", "网格", "户籍", "人员类别"])
    seen = set()
    for p in _people(random.Random(11), rows):
        if p.id_number in seen:
            continue
        seen.add(p.id_number)
        sheet.append([p.name, "男" if p.sex == "M" else "女", p.id_number, p.phone, p.address,
                      p.grid, "本地" if p.hukou == "local" else "外来", "、".join(p.tags)])
    workbook.save(path)
    db = open_database(f"sqlite:///{bench.workdir / 'import.sqlite3'}")
    with db.session() as session:
        initialise(session, centre_name="导入测试中心", centre_code="BENCH03", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    start = time.perf_counter()
    table = read_table(path)
    with db.session() as session:
        admin = first_active_admin(session)
        assert admin is not None
        outcome = import_residents(session, actor_for(admin), table,
                                   guess_mapping(table.headers))
    elapsed = (time.perf_counter() - start) * 1000
    bench.record_value(name, elapsed, "ms", target=IMPORT_TARGET_MS,
                       note=f"created {outcome.created}, rejected {len(outcome.rejected)}")
    db.dispose()
