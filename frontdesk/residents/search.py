"""Finding residents from one search box, as the desk types.

An in-memory index per database answers each keystroke without touching the tables: one
query (``max(change_seq)``, ``max(id)``, both indexed) tells whether rows changed since the
index was built, and only those rows are re-read. Lookups are dictionaries (exact card, ID,
phone, name; last 4-6 digits) and sorted lists searched with bisect (prefixes of names,
pinyin, initials, phones, ID numbers), so a query costs about the same at 50,000 residents
as at 500.

Ranking: exact card code / ID number, then the name (exact, then prefix, in Chinese or
pinyin), then partial matches (part of a name, a phone or ID number's digits).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core.scan import normalise_code
from frontdesk.residents.models import STATUS_ACTIVE, Resident, ResidentTag
from frontdesk.residents.service import ResidentInfo

RANK_EXACT_CODE, RANK_NAME, RANK_NAME_PREFIX, RANK_PARTIAL = 0, 1, 2, 3
_LATIN = re.compile(r"^[a-z]+$")
_DIGITS = re.compile(r"^\d+[xX]?$")


class _Sorted:
    """(key, slot) pairs kept sorted; prefix lookups by bisect."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.slots: list[int] = []

    def rebuild(self, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        self.keys = [k for k, _ in ordered]
        self.slots = [s for _, s in ordered]

    def add(self, key: str, slot: int) -> None:
        i = bisect.bisect_left(self.keys, key)
        self.keys.insert(i, key)
        self.slots.insert(i, slot)

    def remove(self, key: str, slot: int) -> None:
        i = bisect.bisect_left(self.keys, key)
        while i < len(self.keys) and self.keys[i] == key:
            if self.slots[i] == slot:
                del self.keys[i]
                del self.slots[i]
                return
            i += 1

    def prefixed(self, prefix: str) -> Iterator[int]:
        """Slots whose key starts with ``prefix``, in key order."""
        i = bisect.bisect_left(self.keys, prefix)
        keys, slots = self.keys, self.slots
        while i < len(keys) and keys[i].startswith(prefix):
            yield slots[i]
            i += 1


def _add(index: dict[str, list[int]], key: str, slot: int) -> None:
    index.setdefault(key, []).append(slot)


def _drop(index: dict[str, list[int]], key: str, slot: int) -> None:
    slots = index.get(key)
    if slots and slot in slots:
        slots.remove(slot)
        if not slots:
            del index[key]


@dataclass
class _Entry:
    info: ResidentInfo
    keys: list[tuple[str, str]]  # (which index, key) this entry was filed under


@dataclass
class ResidentIndex:
    """Everything the search box needs, in memory."""

    seq: int = -1
    max_id: int = 0
    entries: dict[int, _Entry] = field(default_factory=dict)
    exact: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    prefix: dict[str, _Sorted] = field(default_factory=dict)
    name_chars: dict[str, set[int]] = field(default_factory=dict)
    pending: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # bulk load
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for kind in ("card", "id", "phone", "name", "pinyin", "initials", "last"):
            self.exact[kind] = {}
        for kind in ("name", "pinyin", "initials", "phone", "id", "card"):
            self.prefix[kind] = _Sorted()

    # -- filing ---------------------------------------------------------------------------
    def _keys_of(self, r: ResidentInfo, pinyin: str, initials: str) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = [("name", r.name)]
        for word in pinyin.split():
            keys.append(("pinyin", word))
        for word in initials.split():
            keys.append(("initials", word))
        if r.card_code:
            keys.append(("card", r.card_code))
        if r.id_number:
            keys.append(("id", r.id_number))
            for n in (4, 5, 6):
                keys.append(("last", r.id_number[-n:]))
        if r.phone:
            digits = r.phone.replace("-", "")
            keys.append(("phone", digits))
            keys.append(("last", digits[-4:]))
        return keys

    def _file(self, slot: int, keys: list[tuple[str, str]], bulk: bool) -> None:
        for kind, key in keys:
            if kind == "last":
                _add(self.exact["last"], key, slot)
                continue
            _add(self.exact[kind], key, slot)
            if bulk:
                self.pending.setdefault(kind, []).append((key, slot))
            else:
                self.prefix[kind].add(key, slot)

    def _unfile(self, slot: int) -> None:
        entry = self.entries.pop(slot, None)
        if entry is None:
            return
        for kind, key in entry.keys:
            _drop(self.exact[kind], key, slot)
            if kind != "last":
                self.prefix[kind].remove(key, slot)
        for ch in set(entry.info.name):
            chars = self.name_chars.get(ch)
            if chars is not None:
                chars.discard(slot)

    def put(self, r: ResidentInfo, pinyin: str, initials: str, *, bulk: bool = False) -> None:
        """File (or re-file) one resident; merged records are left out."""
        self._unfile(r.id)
        if r.merged_into_id is not None:
            return
        keys = self._keys_of(r, pinyin, initials)
        self.entries[r.id] = _Entry(r, keys)
        self._file(r.id, keys, bulk)
        for ch in set(r.name):
            self.name_chars.setdefault(ch, set()).add(r.id)

    def finish_bulk(self) -> None:
        """Sort the prefix lists once after a bulk load."""
        for kind, sorted_list in self.prefix.items():
            sorted_list.rebuild(self.pending.get(kind, ()))
        self.pending.clear()

    # -- asking ---------------------------------------------------------------------------
    def search(self, query: str, limit: int) -> list[ResidentInfo]:
        """Ranked matches for ``query`` (see the module docstring)."""
        text = normalise_code(query)
        compact = re.sub(r"[\s\-]", "", text)
        if not compact:
            return []
        upper, lower = compact.upper(), compact.lower()
        ranked: list[list[int]] = [[], [], [], []]
        exact, prefix = self.exact, self.prefix

        def take(rank: int, slots: Iterable[int], cap: int) -> None:
            bucket = ranked[rank]
            for slot in slots:
                bucket.append(slot)
                if len(bucket) >= cap:
                    return

        cap = limit * 3  # spare room: the same person may come up in several buckets
        take(RANK_EXACT_CODE, exact["card"].get(upper, ()), cap)
        take(RANK_EXACT_CODE, exact["id"].get(upper, ()), cap)
        if _DIGITS.match(compact):
            take(RANK_NAME, exact["phone"].get(compact, ()), cap)
            if 4 <= len(compact) <= 6:
                take(RANK_PARTIAL, exact["last"].get(upper, ()), cap)
            if len(compact) >= 3:
                take(RANK_PARTIAL, prefix["phone"].prefixed(compact), cap)
                take(RANK_PARTIAL, prefix["card"].prefixed(upper), cap)
            if len(compact) >= 4:
                take(RANK_PARTIAL, prefix["id"].prefixed(upper), cap)
        elif _LATIN.match(lower):
            take(RANK_NAME, exact["pinyin"].get(lower, ()), cap)
            take(RANK_NAME, exact["initials"].get(lower, ()), cap)
            take(RANK_NAME_PREFIX, prefix["pinyin"].prefixed(lower), cap)
            take(RANK_NAME_PREFIX, prefix["initials"].prefixed(lower), cap)
        else:
            name = re.sub(r"[•‧∙⋅・．.]", "·", text.strip())
            take(RANK_NAME, exact["name"].get(name, ()), cap)
            take(RANK_NAME_PREFIX, prefix["name"].prefixed(name), cap)
            take(RANK_PARTIAL, self._containing(name, cap), cap)
            if re.search(r"[a-z]", lower):  # pinyin with a character pypinyin lacks: zheng𠮷
                take(RANK_NAME_PREFIX, prefix["pinyin"].prefixed(lower), cap)
                take(RANK_NAME_PREFIX, prefix["initials"].prefixed(lower), cap)
            if re.search(r"\d", compact):
                take(RANK_PARTIAL, prefix["id"].prefixed(upper), cap)
        return self._collect(ranked, limit)

    def _containing(self, text: str, cap: int) -> list[int]:
        """Slots whose name contains ``text`` (any position)."""
        chars = set(text)
        sets = [self.name_chars.get(ch) for ch in chars]
        if not sets or any(s is None or not s for s in sets):
            return []
        smallest = min(sets, key=lambda s: len(s))  # type: ignore[arg-type]
        found = []
        entries = self.entries
        for slot in smallest:  # type: ignore[union-attr]
            if text in entries[slot].info.name:
                found.append(slot)
                if len(found) >= cap:  # a common surname is in thousands of names
                    break
        found.sort(key=lambda s: entries[s].info.name)
        return found

    def _collect(self, ranked: list[list[int]], limit: int) -> list[ResidentInfo]:
        seen: set[int] = set()
        out: list[ResidentInfo] = []
        for bucket in ranked:
            infos = [self.entries[s].info for s in bucket if s in self.entries]
            # Within a rank, people who can still be served come before moved/deceased.
            infos.sort(key=lambda r: r.status != STATUS_ACTIVE)
            for r in infos:
                if r.id not in seen:
                    seen.add(r.id)
                    out.append(r)
                    if len(out) >= limit:
                        return out
        return out


_INDEXES: dict[str, ResidentIndex] = {}
_GUARD = threading.Lock()


def _index_for(session: Session) -> ResidentIndex:
    bind = session.get_bind()
    key = f"{id(bind)}:{bind.engine.url}"
    with _GUARD:
        if key not in _INDEXES:
            _INDEXES[key] = ResidentIndex()
        return _INDEXES[key]


def forget_indexes() -> None:
    """Drop every cached index (tests, or after restoring a backup)."""
    with _GUARD:
        _INDEXES.clear()


def _load(session: Session, index: ResidentIndex, seq: int, max_id: int) -> None:
    """Read rows changed since the index last looked (all rows the first time)."""
    from frontdesk.residents.pinyin import pinyin_keys

    first = index.seq < 0
    stmt = select(Resident.id, Resident.name, Resident.sex, Resident.birth_date,
                  Resident.id_type, Resident.id_number, Resident.phone, Resident.address,
                  Resident.hukou, Resident.card_code, Resident.status, Resident.temporary,
                  Resident.grid, Resident.household, Resident.merged_into_id,
                  Resident.name_pinyin, Resident.name_initials)
    tag_stmt = select(ResidentTag.resident_id, ResidentTag.tag).order_by(ResidentTag.tag)
    if not first:
        changed = (Resident.change_seq >= index.seq) | (Resident.id > index.max_id)
        stmt = stmt.where(changed)
        tag_stmt = tag_stmt.where(ResidentTag.resident_id.in_(
            select(Resident.id).where(changed)))
    tags: dict[int, list[str]] = {}
    for rid, tag in session.execute(tag_stmt):
        tags.setdefault(rid, []).append(tag)
    for row in session.execute(stmt):
        (rid, name, sex, birth, id_type, id_number, phone, address, hukou, card, status,
         temporary, grid, household, merged, pinyin, initials) = row
        if not pinyin:  # rows written without the registry's service (other features' tests)
            pinyin, initials = pinyin_keys(name)
        r = ResidentInfo(rid, name, sex, birth, id_type, id_number, phone, address, hukou,
                         card, status, bool(temporary), tuple(tags.get(rid, ())), grid,
                         household, merged)
        index.put(r, pinyin, initials, bulk=first)
    if first:
        index.finish_bulk()
    index.seq, index.max_id = seq, max_id


def current_index(session: Session) -> ResidentIndex:
    """The index for this session's database, brought up to date."""
    index = _index_for(session)
    # Two scalar subqueries: SQLite answers a lone max() from the index, but scans the table
    # when one SELECT holds two aggregates.
    seq, max_id = session.execute(select(
        select(func.coalesce(func.max(Resident.change_seq), 0)).scalar_subquery(),
        select(func.coalesce(func.max(Resident.id), 0)).scalar_subquery())).one()
    with index.lock:
        if index.seq < 0 or seq != index.seq or max_id != index.max_id:
            _load(session, index, int(seq), int(max_id))
    return index


def search_residents(session: Session, query: str, limit: int = 20) -> list[ResidentInfo]:
    """Residents matching ``query`` (card code, ID number, name, pinyin, phone), best first."""
    if not normalise_code(query):
        return []
    return current_index(session).search(query, limit)
