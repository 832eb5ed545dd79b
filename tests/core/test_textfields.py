"""The one text rule for set-up forms (frontdesk.core.textfields), and that the features that
used to carry their own copy (rooms and check-in, the canteen, volunteers and operators) now
answer the same hostile text alike — on SQLite and, with FRONTDESK_TEST_BACKEND=postgresql,
on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.canteen import service as canteen
from frontdesk.checkin import service as checkin
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import set_language
from frontdesk.core.operators import update_operator
from frontdesk.core.textfields import clean_line
from frontdesk.rooms import service as rooms
from frontdesk.volunteers import service as volunteers
from frontdesk.volunteers import shop

CORPUS = json.loads((Path(__file__).parents[1] / "corpus" / "hostile_text.json")
                    .read_text(encoding="utf-8"))
REFUSED = CORPUS["control_chars"] + ["张\n三", "张\t三", "名\u2066字", "私\ue000", "半\ud800"]


def test_names_as_typed_are_kept_and_trimmed() -> None:
    for name in CORPUS["names_keep"] + CORPUS["emoji_and_rtl"] + CORPUS["sqlish_and_paths"]:
        assert clean_line("名称", f"  {name}\u3000", limit=100) == name.strip()
    assert clean_line("名称", "می\u200cخواهم", limit=100) == "می\u200cخواهم"  # ZWNJ joins
    assert clean_line("名称", None, limit=5) == "" and clean_line("名称", " \u3000", limit=5) == ""


@pytest.mark.parametrize("text", REFUSED)
def test_hidden_characters_are_refused_with_the_field_named(text: str) -> None:
    with pytest.raises(RuleError, match=r"^“队伍名称”里有换行、制表符或看不见的控制字符"):
        clean_line("队伍名称", text, limit=100)


def test_blank_required_and_over_long_values_say_so() -> None:
    for blank in CORPUS["whitespace"][:3]:
        with pytest.raises(RuleError, match=r"^请填写“场地名称”。$"):
            clean_line("场地名称", blank, limit=100, required=True)
    assert clean_line("场地名称", "厅" * 100, limit=100) == "厅" * 100
    with pytest.raises(RuleError, match=r"^“场地名称”太长：最多 100 个字，现在 101 个字。$"):
        clean_line("场地名称", "厅" * 101, limit=100)


def test_the_messages_are_translated() -> None:
    set_language("en")
    with pytest.raises(RuleError) as caught:
        clean_line("Team name", "张\x00三", limit=10)
    assert caught.value.message.startswith("“Team name” contains a line break, a tab or an")
    with pytest.raises(RuleError, match="at most 2 characters, it has 3"):
        clean_line("Team name", "abc", limit=2)
    with pytest.raises(RuleError, match=r"^Please fill in “Team name”\.$"):
        clean_line("Team name", "", limit=2, required=True)


def _writes(admin: Actor) -> dict[str, Callable[[Session, str], object]]:
    return {
        "room": lambda s, t: rooms.create_room(s, admin, t),
        "purpose": lambda s, t: checkin.save_purpose(s, admin, None, name=t, area="x"),
        "funder": lambda s, t: canteen.create_funder(s, admin, t),
        "team": lambda s, t: volunteers.create_team(s, admin, t),
        "goods": lambda s, t: shop.add_goods(s, admin, t, 10),
        "operator": lambda s, t: update_operator(s, admin, "desk", display_name=t),
    }


@pytest.mark.parametrize("text", [*REFUSED[:9], "长" * 201])
def test_every_former_copy_refuses_alike_and_changes_nothing(centre_db: Database, admin: Actor,
                                                            text: str) -> None:
    with centre_db.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    for feature, write in _writes(admin).items():
        with pytest.raises(RuleError) as caught, centre_db.session() as s:
            write(s, text)
        assert "控制字符" in caught.value.message or "太长" in caught.value.message, feature
    with centre_db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_every_former_copy_stores_a_rare_name_as_typed(centre_db: Database,
                                                       admin: Actor) -> None:
    for i, write in enumerate(_writes(admin).values()):
        with centre_db.session() as s:
            write(s, f" 杨𠮷{i}👨\u200d👩\u200d👧 ")
    with centre_db.read() as s:
        assert [r.name for r in rooms.list_rooms(s)] == ["杨𠮷0👨\u200d👩\u200d👧"]
        assert [t.name for t in volunteers.team_details(s)] == ["杨𠮷3👨\u200d👩\u200d👧"]
