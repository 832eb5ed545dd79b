"""Search as you type: every kind of query, ranking, 多音字 surnames, and index freshness."""

from __future__ import annotations

import pytest

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.residents.models import STATUS_DECEASED
from frontdesk.residents.pinyin import pinyin_keys
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import (
    ResidentForm,
    create_resident,
    get_resident,
    merge_residents,
    set_status,
    update_resident,
)
from tests.residents.helpers import ric


@pytest.fixture
def people(centre_db: Database, admin: Actor) -> dict[str, int]:
    """A few residents chosen to exercise each kind of query."""
    rows = [
        ("张三丰", ric(birth="19400101", seq="111"), "13812345678"),
        ("张三", ric(birth="19500101", seq="113"), "13900005678"),
        ("单田芳", ric(birth="19410101", seq="115"), "13700001111"),
        ("曾国藩", ric(birth="19420101", seq="117"), ""),
        ("阿依古丽·买买提", ric(birth="19800101", seq="222"), "0595-88882222"),
        ("𠮷田花子", "", ""),
        ("李张", "", "13600003333"),
    ]
    ids = {}
    with centre_db.session() as session:
        for name, number, phone in rows:
            ids[name] = create_resident(session, admin, ResidentForm(
                name=name, id_number=number, phone=phone), confirm_duplicates=True).id
    return ids


def _names(db: Database, query: str, limit: int = 20) -> list[str]:
    with db.read() as session:
        return [r.name for r in search_residents(session, query, limit)]


@pytest.mark.parametrize(("query", "expected"), [
    ("张三丰", "张三丰"),
    ("zhangsanfeng", "张三丰"),
    ("zsf", "张三丰"),
    ("ZSF", "张三丰"),
    ("5678", "张三丰"),
    ("13812345678", "张三丰"),
    ("shantianfang", "单田芳"),  # 单 as a surname
    ("dantianfang", "单田芳"),  # and as pypinyin reads it
    ("stf", "单田芳"),
    ("zengguofan", "曾国藩"),
    ("zgf", "曾国藩"),
    ("ayiguli", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"),  # typed with a bullet
    ("买买提", "阿依古丽·买买提"),
    ("𠮷田", "𠮷田花子"),
    ("2222", "阿依古丽·买买提"),
])
def test_each_kind_of_query_finds_the_person(centre_db: Database, people: dict[str, int],
                                             query: str, expected: str) -> None:
    assert expected in _names(centre_db, query)


def test_id_number_last_4_to_6_and_card_code(centre_db: Database,
                                            people: dict[str, int]) -> None:
    number = ric(birth="19410101", seq="115")
    for n in (4, 5, 6):
        assert "单田芳" in _names(centre_db, number[-n:])
    with centre_db.read() as session:
        card = get_resident(session, people["曾国藩"]).card_code or ""
    assert _names(centre_db, card) == ["曾国藩"]
    assert _names(centre_db, "　" + card + " ") == ["曾国藩"]  # a scan with blanks around


def test_ranking_exact_code_then_name_then_partial(centre_db: Database,
                                                  people: dict[str, int]) -> None:
    # "张三" is a whole name, the start of 张三丰, and part of nobody else.
    assert _names(centre_db, "张三")[:2] == ["张三", "张三丰"]
    # "张": names starting with it before names merely containing it (李张).
    found = _names(centre_db, "张")
    assert found.index("李张") > max(found.index("张三"), found.index("张三丰"))
    # An ID number typed in full comes first, before anyone whose phone shares digits.
    number = ric(birth="19500101", seq="113")
    assert _names(centre_db, number)[0] == "张三"


def test_results_respect_the_limit(centre_db: Database, people: dict[str, int]) -> None:
    assert len(_names(centre_db, "z", limit=2)) == 2
    assert _names(centre_db, "  ") == []


def test_the_index_follows_changes_even_with_a_pinned_clock(centre_db: Database, admin: Actor,
                                                           people: dict[str, int]) -> None:
    assert "张三丰" in _names(centre_db, "zsf")  # index built
    with centre_db.session() as session:
        update_resident(session, admin, people["张三丰"], ResidentForm(
            name="王喆", id_number=ric(birth="19400101", seq="111")))
        create_resident(session, admin, ResidentForm(name="许昇"))
    assert _names(centre_db, "zsf") == []
    assert _names(centre_db, "wangzhe") == ["王喆"]
    assert _names(centre_db, "xs") == ["许昇"]
    with centre_db.session() as session:
        merge_residents(session, admin, people["张三"], people["李张"], "重复")
        set_status(session, admin, people["曾国藩"], STATUS_DECEASED, "2026-10-01 去世")
    assert "李张" not in _names(centre_db, "李张")  # merged records leave the search
    with centre_db.read() as session:
        found = search_residents(session, "zgf")
    assert [r.status for r in found] == [STATUS_DECEASED]  # still found, marked


def test_pinyin_keys_keep_unknown_characters_and_both_surname_readings() -> None:
    assert pinyin_keys("单田芳") == ("dantianfang shantianfang", "dtf stf")
    assert pinyin_keys("𠮷田") == ("𠮷tian", "𠮷t")
    assert pinyin_keys("阿依古丽·买买提")[1] == "ayglmmt"
