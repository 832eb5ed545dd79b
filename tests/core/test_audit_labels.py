"""Every audit action the code records has a label in words; an unknown one still reads as
words; the settings' choices have labels too."""

from __future__ import annotations

import ast
from pathlib import Path

import frontdesk
from frontdesk.core import settings
from frontdesk.core.audit_labels import ACTION_LABELS, ENTITY_LABELS, action_label, entity_label
from frontdesk.core.i18n import load_catalogue, set_language

PACKAGE = Path(frontdesk.__file__).resolve().parent


def _recorded_actions() -> tuple[set[str], set[str]]:
    """(actions, entities) written by ``audit.record(session, actor, ACTION, ENTITY, ...)``
    with literal arguments, plus the actions handed to helpers that record them."""
    actions: set[str] = set()
    entities: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "record" and not (isinstance(func, ast.Attribute)
                                         and isinstance(func.value, ast.Name)
                                         and func.value.id == "audit"):
                continue  # the town's own trail (town.service.record) is not this one
            literals = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str)
                        else None for a in node.args]
            if name == "record" and len(literals) >= 4:
                if literals[2]:
                    actions.add(literals[2])
                if literals[3]:
                    entities.add(literals[3])
            elif name == "_change_status" and len(literals) >= 5 and literals[4]:
                actions.add(literals[4])  # rooms: booking.approve, booking.cancel, ...
        for node in ast.walk(tree):  # action = "canteen.rule.create" before audit.record
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "action"
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                actions.add(node.value.value)
    return actions, entities


def test_every_recorded_action_and_entity_has_a_label() -> None:
    actions, entities = _recorded_actions()
    assert {"resident.id_shown", "booking.no_show", "canteen.rule.create"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(entities - set(ENTITY_LABELS)) == []


def test_labels_read_in_both_languages_and_unknown_keys_fall_back() -> None:
    assert action_label("resident.id_shown") == "查看了完整证件号码"
    assert action_label("canteen.something_new") == "长者食堂：其他操作"
    assert action_label("mystery") == "其他操作"
    assert entity_label("volunteer_team") == "志愿服务队"
    assert entity_label("canteen_whatever") == "长者食堂"
    set_language("en")
    assert action_label("resident.id_shown") == "Full ID number viewed"
    assert action_label("canteen.something_new") == "Canteen: other action"
    assert entity_label("shop_goods") == "Points shop items"
    english = load_catalogue("en")
    assert [label for label in ACTION_LABELS.values() if label not in english] == []


def test_the_expiry_setting_offers_words_not_codes() -> None:
    spec = settings.spec("volunteers.expiry")
    assert [spec.choice_label(c) for c in spec.choices or ()] == [
        "长期有效，不过期", "到获得当年的年底", "按年数（见下一项）"]
    assert "none" not in spec.label and "year_end" not in spec.label
    assert spec.choice_label("something else") == "something else"
    for declared in settings.SPECS.values():
        if declared.choice_labels is not None:
            assert len(declared.choice_labels) == len(declared.choices or ())
