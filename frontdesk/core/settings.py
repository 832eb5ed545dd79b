"""Centre settings: declared once here with type, default and description; stored in the database.

Every option the program reads is a :class:`SettingSpec` in :data:`SPECS`. The database
keeps only values that differ from the default. Changing a value is audited.
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
        SettingSpec("ui.language", str, "zh_CN", N_("界面语言"), choices=tuple(LANGUAGES)),
        SettingSpec("security.idle_lock_minutes", int, 10, N_("无操作自动锁屏（分钟，0 为不锁屏）"),
                    minimum=0, maximum=240),
        SettingSpec("security.max_failed_logins", int, 5, N_("连续输错密码几次后锁定账号"),
                    minimum=1, maximum=20),
        SettingSpec("security.lockout_minutes", int, 5, N_("账号锁定时长（分钟）"),
                    minimum=1, maximum=1440),
        SettingSpec("backup.keep", int, 10, N_("自动备份保留份数"), minimum=1, maximum=365),
        SettingSpec("dayclose.full_id_numbers", bool, False,
                    N_("导出的就餐表包含完整身份证号（补助申报需要）")),
    ]
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
