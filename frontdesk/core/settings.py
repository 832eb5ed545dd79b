"""Centre settings: declared once here with type, default and description; stored in the database.

Every option of the centre's policy is a :class:`SettingSpec` in :data:`SPECS`. The database
keeps only values that differ from the default. Changing a value is audited.

What belongs to one computer (which printer takes which paper, the window's size, who logged
in last) is no centre setting: the desk program keeps it on the PC (``frontdesk.ui.pc_settings``).
Older versions stored the printers here; :data:`MOVED_TO_PC` names those keys, which are no
longer declared, offered or written, and are read only to carry them over to a PC once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import LANGUAGES, N_, tr
from frontdesk.core.models import Base


class SettingValue(Base):
    """A stored setting (系统设置) that differs from its declared default."""

    __tablename__ = "setting_value"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class SettingSpec:
    """One declared option: its key, type, default and what it means."""

    key: str
    type: type
    default: Any
    label: str  # Chinese source text; shown through tr()
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] | None = None
    admin_only: bool = True
    on_form: bool = True  # False: set by the program itself, never offered on the settings form
    # "module:function(session, value) -> value" checking a value against the database (e.g.
    # that it names an active record); core names no feature, the feature supplies the check.
    check: str | None = None
    # What each choice is called on screen (Chinese source texts, through tr()), in the
    # order of ``choices``; without it a choice is shown as it is stored.
    choice_labels: tuple[str, ...] | None = None

    def choice_label(self, choice: str) -> str:
        """The words a user reads for ``choice`` (the stored value when it has no label)."""
        if self.choices and self.choice_labels and choice in self.choices:
            return tr(self.choice_labels[self.choices.index(choice)])
        return choice

    def validate(self, value: Any) -> Any:
        """``value`` converted to the declared type, or a RuleError saying why not."""
        try:
            if self.type is bool:
                if isinstance(value, str):
                    value = value.strip().lower() in {"1", "true", "yes", "on", "是"}
                converted: Any = bool(value)
            elif self.type is int:
                converted = int(str(value).strip())
            else:
                converted = self.type(value)
        except (TypeError, ValueError):
            raise RuleError(tr("设置“{label}”的值无效：{value}", label=tr(self.label),
                               value=value)) from None
        if self.minimum is not None and converted < self.minimum:
            raise RuleError(tr("设置“{label}”不能小于 {n}", label=tr(self.label), n=self.minimum))
        if self.maximum is not None and converted > self.maximum:
            raise RuleError(tr("设置“{label}”不能大于 {n}", label=tr(self.label), n=self.maximum))
        if self.choices is not None and converted not in self.choices:
            raise RuleError(tr("设置“{label}”的值无效：{value}", label=tr(self.label),
                               value=value))
        if isinstance(converted, str) and len(converted) > 500:
            raise RuleError(tr("设置“{label}”太长（最多 500 字）", label=tr(self.label)))
        return converted


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in [
        SettingSpec("centre.name", str, "", N_("中心名称")),
        SettingSpec("centre.code", str, "", N_("中心编码")),
        SettingSpec("centre.town", str, "", N_("所属镇/街道")),
        # Set only by `frontdesk demo` on the database it created: marks every title bar,
        # printout and export as 演示, and lets the demo fill that database again.
        SettingSpec("centre.demo", bool, False, N_("演示中心"), on_form=False),
        SettingSpec("ui.language", str, "zh_CN", N_("界面语言"), choices=tuple(LANGUAGES)),
        SettingSpec("security.idle_lock_minutes", int, 10, N_("无操作自动锁屏（分钟，0 为不锁屏）"),
                    minimum=0, maximum=240),
        SettingSpec("security.max_failed_logins", int, 5, N_("连续输错密码几次后锁定账号"),
                    minimum=1, maximum=20),
        SettingSpec("security.lockout_minutes", int, 5, N_("账号锁定时长（分钟）"),
                    minimum=1, maximum=1440),
        SettingSpec("backup.keep", int, 10, N_("自动备份保留份数"), minimum=1, maximum=365),
        SettingSpec("residents.tags", str,
                    "高龄、独居、空巢、低保、特困、低收入、优抚、失能、残疾、党员、志愿者、新就业群体、儿童",
                    N_("居民标签（用顿号“、”分隔）")),
        SettingSpec("canteen.subsidised_per_session", int, 1,
                    N_("长者每餐次可享受补助的份数"), minimum=1, maximum=5),
        SettingSpec("printing.receipt_width_mm", str, "80", N_("小票纸宽（毫米：80 或 58）"),
                    choices=("80", "58"), admin_only=False),
        SettingSpec("checkin.repeat_window_minutes", int, 30,
                    N_("同一人同一事由重复签到提醒时间窗（分钟，0 为不提醒）"),
                    minimum=0, maximum=1440),
        SettingSpec("checkin.default_purpose", str, "",
                    N_("刷卡直接签到的默认事由（留空为每次选择）"),
                    check="frontdesk.checkin.service:check_default_purpose"),
        SettingSpec("printing.receipt_large_print", bool, False,
                    N_("小票大字打印（方便长者阅读）")),
        SettingSpec("rooms.no_show_minutes", int, 15, N_("预约开始后几分钟未签到可释放场地"),
                    minimum=1, maximum=240),
        SettingSpec("volunteers.daily_cap_hours", int, 8, N_("志愿服务每人每天最多计入小时数"),
                    minimum=1, maximum=24),
        SettingSpec("volunteers.expiry", str, "none", N_("积分有效期"),
                    choices=("none", "year_end", "years"),
                    choice_labels=(N_("长期有效，不过期"), N_("到获得当年的年底"),
                                   N_("按年数（见下一项）"))),
        SettingSpec("volunteers.expiry_years", int, 3, N_("积分有效年数（有效期按年数时）"),
                    minimum=1, maximum=20),
        SettingSpec("volunteers.certificate_head", str, "", N_("志愿服务证明负责人")),
        SettingSpec("volunteers.certificate_contact", str, "", N_("志愿服务证明联系电话")),
        SettingSpec("volunteers.certificate_seal", str, "",
                    N_("志愿服务证明印章文字（公章上的单位名称）")),
        SettingSpec("dayclose.full_id_numbers", bool, False,
                    N_("导出的就餐表包含完整身份证号（补助申报需要）")),
    ]
}


#: keys older versions stored for the whole centre that now live on each PC (本机设置), by the
#: PC's printer role. A database may still hold them; :func:`stored_value` reads them.
MOVED_TO_PC: dict[str, str] = {
    "receipt": "printing.receipt_printer",
    "a4": "printing.a4_printer",
}


def spec(key: str) -> SettingSpec:
    """The declaration of ``key`` (a KeyError for undeclared keys is a bug)."""
    return SPECS[key]


def get(session: Session, key: str) -> Any:
    """The current value of setting ``key``."""
    declared = SPECS[key]
    row = session.get(SettingValue, key)
    if row is None:
        return declared.default
    return json.loads(row.value_json)


def stored_value(session: Session, key: str) -> Any | None:
    """The value the database holds for ``key``, declared or not; None when it holds none.

    Only for keys that are no longer declared (:data:`MOVED_TO_PC`): everything else reads
    through :func:`get`, which knows the default.
    """
    row = session.get(SettingValue, key)
    return None if row is None else json.loads(row.value_json)


def get_all(session: Session) -> dict[str, Any]:
    """Every declared setting with its current value."""
    values = {key: s.default for key, s in SPECS.items()}
    for row in session.scalars(select(SettingValue)):
        if row.key in SPECS:
            values[row.key] = json.loads(row.value_json)
    return values


def set_value(session: Session, actor: Actor, key: str, value: Any) -> Any:
    """Validate and store ``value`` for ``key``; audited. Returns the stored value."""
    declared = SPECS.get(key)
    if declared is None:
        raise RuleError(tr("没有这个设置项：{key}", key=key))
    if declared.admin_only:
        actor.require_admin()
    new = declared.validate(value)
    if declared.check is not None:
        import importlib

        module_name, func_name = declared.check.split(":")
        new = getattr(importlib.import_module(module_name), func_name)(session, new)
    old = get(session, key)
    if new == old:
        return new
    row = session.get(SettingValue, key)
    if row is None:
        row = SettingValue(key=key, value_json="", updated_at=actor.now(), updated_by="")
        session.add(row)
    row.value_json = json.dumps(new, ensure_ascii=False)
    row.updated_at = actor.now()
    row.updated_by = actor.username
    audit.record(session, actor, "setting.change", "setting", key, f"{key}: {old!r} → {new!r}")
    return new
