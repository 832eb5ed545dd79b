"""The residents list as a Qt table model (search results, masked ID numbers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.core.i18n import N_, tr
from frontdesk.residents.identity import mask_id_number
from frontdesk.residents.models import STATUS_ACTIVE, STATUS_DECEASED, STATUS_MOVED
from frontdesk.residents.service import ResidentInfo

# The card code last: a scan finds it anyway, and the list is read by name, age and phone.
COLUMNS = (N_("姓名"), N_("性别"), N_("年龄"), N_("电话"), N_("证件号码"), N_("状态"),
           N_("标签"), N_("居民卡号"))
STATUS_LABELS = {STATUS_ACTIVE: N_("正常"), STATUS_MOVED: N_("已迁出"),
                 STATUS_DECEASED: N_("已去世")}
SEX_LABELS = {"M": N_("男"), "F": N_("女")}

Index = QModelIndex | QPersistentModelIndex


class ResidentTableModel(QAbstractTableModel):
    """Rows of :class:`ResidentInfo`; the ID number always masked in the list."""

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.rows: list[ResidentInfo] = []
        self.today = today

    def set_rows(self, rows: list[ResidentInfo]) -> None:
        """Replace the rows (a new search)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def resident(self, row: int) -> ResidentInfo | None:
        """The resident on ``row`` (None out of range)."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and r.status != STATUS_ACTIVE:
            from PySide6.QtGui import QColor

            return QColor("#888888")
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def _text(self, r: ResidentInfo, column: int) -> str:
        if column == 0:
            return r.name
        if column == 1:
            return tr(SEX_LABELS[r.sex]) if r.sex in SEX_LABELS else ""
        if column == 2:
            age = r.age_on(self.today)
            return "" if age is None else str(age)
        if column == 3:
            return r.phone or ""
        if column == 4:
            return mask_id_number(r.id_number)
        if column == 5:
            return tr(STATUS_LABELS.get(r.status, r.status))
        if column == 6:
            return "、".join(r.tags)
        if column == 7:
            return r.card_code or ""
        return ""
