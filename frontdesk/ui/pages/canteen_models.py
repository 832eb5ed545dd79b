"""Item models of the canteen page: the day's tickets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from frontdesk.canteen.models import DELIVERY_STATES, DINER_KINDS, MEAL_TYPES, PAYMENTS
from frontdesk.canteen.service import TicketInfo
from frontdesk.core.clock import to_local
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan

Index = QModelIndex | QPersistentModelIndex

# No price column: it is the session's (the session list shows it) and equals 补助 + 自付;
# without it the list fits beside the queue panel in English too.
TICKET_COLUMNS = (N_("号"), N_("姓名"), N_("类别"), N_("类型"), N_("补助"), N_("自付"),
                  N_("状态"))
NAME_COLUMN, CATEGORY_COLUMN = 1, 2
MONEY_COLUMNS = (4, 5)


class TicketTableModel(QAbstractTableModel):
    """The day's tickets, newest first; voided ones greyed with their reason."""

    def __init__(self) -> None:
        super().__init__()
        self.tickets: list[TicketInfo] = []

    def set_tickets(self, tickets: list[TicketInfo]) -> None:
        """Show ``tickets`` (newest first)."""
        self.beginResetModel()
        self.tickets = sorted(tickets, key=lambda t: t.id, reverse=True)
        self.endResetModel()

    def ticket(self, row: int) -> TicketInfo:
        return self.tickets[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.tickets)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TICKET_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(TICKET_COLUMNS)):
            return tr(TICKET_COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.tickets):
            return None
        t = self.tickets[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(t, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and t.voided:
            return QBrush(QColor("#999999"))
        if role == Qt.ItemDataRole.ToolTipRole:
            when = to_local(t.issued_at).strftime("%H:%M")
            return (f"{t.number} {when}  {tr('价格')} {format_yuan(t.price_fen)}\n"
                    + (tr("已作废：{reason}", reason=t.void_reason or "") if t.voided
                       else t.rule_reason))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in MONEY_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(t: TicketInfo, column: int) -> str:
        if column == 0:
            return t.number[-4:]
        if column == 1:
            return t.diner_name + (f"（{tr('代领')}：{t.collector}）" if t.collector else "")
        if column == 2:
            return tr(t.category) if t.diner_kind == "elder" else tr(DINER_KINDS[t.diner_kind])
        if column == 3:
            return f"{t.session_name} {tr(MEAL_TYPES.get(t.meal_type, t.meal_type))}"
        if column == 4:
            return format_yuan(t.price_fen - t.self_pay_fen)
        if column == 5:
            return format_yuan(t.self_pay_fen) + f" {tr(PAYMENTS.get(t.payment, t.payment))}"
        if t.voided:  # the reason is in the row's tooltip: a long one would widen the column
            return tr("已作废")
        if t.delivery_status:
            return tr(DELIVERY_STATES[t.delivery_status])
        return tr("已出票")
