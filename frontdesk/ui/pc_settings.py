"""本机设置: what belongs to this computer, not to the centre; kept on the PC, not in the database.

Which printer takes each kind of paper, where the main window was and how big, and who logged
in last are facts about one PC. On a town's shared PostgreSQL database two desks with different
printers must not overwrite each other, and none of it is centre policy worth an audit entry.
The centre's policy (prices, rules, lockout, receipt width...) stays in the database
(``frontdesk.core.settings``).

Where: ``QSettings("frontdesk", "frontdesk")`` in the user scope — on Windows the registry
(``HKEY_CURRENT_USER\\Software\\frontdesk\\frontdesk``), on Linux
``~/.config/frontdesk/frontdesk.conf``. ``FRONTDESK_PC_SETTINGS=FILE`` keeps them in that INI
file instead (tests, screenshots, a portable copy).

The command line never reads these: it stays usable without Qt, and a script should print
where it says (``--printer``), else on the system's default printer.

Older versions kept the receipt and A4 printers in the database (``printing.receipt_printer``,
``printing.a4_printer``); :func:`carry_over_from_database` copies them here once, for each
printer this PC has no choice for yet, so nobody loses a printer on upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QRegion

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from frontdesk.core.db import Database

ENV_FILE = "FRONTDESK_PC_SETTINGS"
ORGANISATION = APPLICATION = "frontdesk"

ROLE_RECEIPT, ROLE_A4, ROLE_CARD = "receipt", "a4", "card"
#: this PC's printers, one per kind of paper (``documents.service.printer_role`` maps papers)
PRINTER_ROLES: dict[str, str] = {
    ROLE_RECEIPT: N_("小票打印机（80/58 毫米小票）"),
    ROLE_A4: N_("A4 打印机（登记表、汇总表、证明）"),
    ROLE_CARD: N_("居民卡打印机"),
}
#: a role with no printer chosen prints on this role's printer instead ("" = the system's default)
FALLBACK_ROLE = {ROLE_CARD: ROLE_A4}

KEY_PRINTER = "printers/{role}"
KEY_GEOMETRY = "window/geometry"  # QWidget.saveGeometry()
KEY_RECT = "window/rect"  # the normal (not maximised) geometry "x,y,w,h": kept when Qt refuses
KEY_FRAME = "window/frame"  # the title bar and borders measured then: "left,top,right,bottom"
KEY_MAXIMISED = "window/maximised"
KEY_LAST_OPERATOR = "login/last_operator"

PREFERRED_SIZE = QSize(1280, 800)
SCREEN_MARGIN = 16  # free pixels around a fitted window's frame, where the screen has room
# The title bar and borders a window manager adds, until a shown window tells (Windows 10/11:
# a 31-pixel title bar and 8-pixel borders at 100 %).
FRAME_GUESS = QMargins(8, 32, 8, 8)


def store() -> QSettings:
    """This PC's settings (``FRONTDESK_PC_SETTINGS``'s INI file when that is set)."""
    path = os.environ.get(ENV_FILE)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    # The (organisation, application) constructor ignores setDefaultFormat(); this one does.
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION,
                     APPLICATION)


def location() -> str:
    """Where this PC's settings are kept, for messages (a file, or a registry key)."""
    return store().fileName()


def _commit(settings: QSettings) -> None:
    settings.sync()
    if settings.status() != QSettings.Status.NoError:
        raise RuleError(tr("无法保存本机设置（{path}）。请检查这个位置能否写入。",
                           path=settings.fileName()))


def _text(settings: QSettings, key: str) -> str:
    value = settings.value(key, "")
    return value if isinstance(value, str) else ""


# -- printers --------------------------------------------------------------------------------

def has_printer(role: str) -> bool:
    """Whether someone chose a printer for ``role`` on this PC (the system default counts)."""
    return store().contains(KEY_PRINTER.format(role=role))


def printer(role: str) -> str:
    """The printer chosen for ``role`` on this PC; "" for the system default or no choice."""
    return _text(store(), KEY_PRINTER.format(role=role))


def effective_printer(role: str) -> str:
    """The printer ``role`` prints on: its own choice, else its fallback role's ("" = default)."""
    name = printer(role)
    if not name and role in FALLBACK_ROLE:
        return printer(FALLBACK_ROLE[role])
    return name


def set_printer(role: str, name: str) -> None:
    """Choose ``name`` ("" = the system default; for cards: the A4 printer) for ``role``."""
    if role not in PRINTER_ROLES:
        raise RuleError(tr("没有这种打印机：{role}", role=role))
    settings = store()
    settings.setValue(KEY_PRINTER.format(role=role), name)
    _commit(settings)


def carry_over(legacy: Mapping[str, object]) -> list[str]:
    """Take printers an older version stored in the centre's database (role -> name) for every
    role this PC has no choice for yet; returns the roles taken."""
    settings = store()
    taken = []
    for role, name in legacy.items():
        key = KEY_PRINTER.format(role=role)
        if role in PRINTER_ROLES and isinstance(name, str) and name and not settings.contains(key):
            settings.setValue(key, name)
            taken.append(role)
    if taken:
        try:
            _commit(settings)
        except RuleError:
            return []  # the database keeps the value: the next start tries again
    return taken


def carry_over_from_database(db: Database) -> list[str]:
    """:func:`carry_over` of the printers ``db`` still holds from an older version."""
    from frontdesk.core import settings

    if all(has_printer(role) for role in settings.MOVED_TO_PC):
        return []  # nothing to ask the database
    with db.read() as session:
        legacy = {role: settings.stored_value(session, key)
                  for role, key in settings.MOVED_TO_PC.items()}
    return carry_over(legacy)


# -- who logged in last ----------------------------------------------------------------------

def last_operator() -> str:
    """The user name that last logged in on this PC (pre-filled at the next login)."""
    return _text(store(), KEY_LAST_OPERATOR)


def set_last_operator(username: str) -> None:
    """Remember ``username`` for the next login; a PC that cannot store it just forgets."""
    settings = store()
    settings.setValue(KEY_LAST_OPERATOR, username)
    settings.sync()


# -- the main window's place -------------------------------------------------------------------

def fitted_geometry(available: QRect, minimum: QSize, frame: QMargins = FRAME_GUESS) -> QRect:
    """Where a window opens on a screen whose free area is ``available`` when nothing fits
    from before: the preferred 1280x800, smaller on a smaller screen (keeping up to
    SCREEN_MARGIN free around its frame), never below ``minimum`` unless the screen itself
    is smaller; centred. The rectangle is the window's inside (QWidget.geometry())."""
    room = available.marginsRemoved(frame)
    spare_w = max(0, room.width() - minimum.width())
    spare_h = max(0, room.height() - minimum.height())
    margin_w, margin_h = min(SCREEN_MARGIN, spare_w // 2), min(SCREEN_MARGIN, spare_h // 2)
    usable = room.adjusted(margin_w, margin_h, -margin_w, -margin_h)
    size = PREFERRED_SIZE.boundedTo(usable.size()).expandedTo(minimum).boundedTo(room.size())
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(room.center())
    return rect


def _area(rect: QRect) -> int:
    return max(0, rect.width()) * max(0, rect.height()) if rect.isValid() else 0


def on_screen(rect: QRect, screens: Sequence[QRect], minimum: QSize,
              frame: QMargins = FRAME_GUESS) -> QRect:
    """``rect`` (a window's inside) if its frame lies within the screens' free areas
    (``screens``, the primary first); else brought back onto the screen that shows most of it
    (the primary when none does), shrunk to fit that screen where needed."""
    framed = rect.marginsAdded(frame)
    free = QRegion()
    for available in screens:
        free = free.united(QRegion(available))
    if QRegion(framed).subtracted(free).isEmpty():
        return QRect(rect)
    best = max(screens, key=lambda available: _area(available.intersected(framed)))
    room = best.marginsRemoved(frame)
    size = rect.size().expandedTo(minimum).boundedTo(room.size())
    if _area(best.intersected(framed)) == 0:  # on a screen that is gone: centre it
        moved = QRect(QPoint(0, 0), size)
        moved.moveCenter(room.center())
        return moved
    x = min(max(rect.x(), room.left()), room.right() + 1 - size.width())
    y = min(max(rect.y(), room.top()), room.bottom() + 1 - size.height())
    return QRect(x, y, size.width(), size.height())


def screen_areas() -> list[QRect]:
    """The free area (without task bars) of every screen, the primary first."""
    primary = QGuiApplication.primaryScreen()
    screens = [primary] + [s for s in QGuiApplication.screens() if s is not primary]
    return [s.availableGeometry() for s in screens if s is not None]


def frame_margins(window: QWidget) -> QMargins:
    """The title bar and borders around ``window``: measured once it is shown, else a guess."""
    if window.isVisible():
        outer, inner = window.frameGeometry(), window.geometry()
        return QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                        outer.right() - inner.right(), outer.bottom() - inner.bottom())
    return FRAME_GUESS


def _numbers(text: str) -> tuple[int, int, int, int] | None:
    try:
        a, b, c, d = (int(part) for part in text.split(","))
    except ValueError:
        return None
    return a, b, c, d


def _rect_from_text(text: str) -> QRect | None:
    numbers = _numbers(text)
    if numbers is None or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return QRect(*numbers)


def _frame_from_text(text: str) -> QMargins:
    numbers = _numbers(text)
    if numbers is None or not all(0 <= n <= 200 for n in numbers):
        return FRAME_GUESS
    return QMargins(*numbers)


def restore_window(window: QWidget) -> None:
    """Before the first show: put ``window`` where this PC's last run left it (maximised if it
    was) when that still fits the screens; else back onto a screen; with nothing remembered,
    fitted to the primary screen (:func:`fitted_geometry`)."""
    settings = store()
    screens = screen_areas()
    minimum = window.minimumSizeHint()
    blob = settings.value(KEY_GEOMETRY)
    # Qt checks the saved geometry against the screens and refuses it when they changed
    # (unplugged, another resolution); keep_on_screen() checks again once shown.
    if isinstance(blob, QByteArray) and not blob.isEmpty() and window.restoreGeometry(blob):
        return
    remembered = _rect_from_text(_text(settings, KEY_RECT))
    if remembered is not None:
        frame = _frame_from_text(_text(settings, KEY_FRAME))
        window.setGeometry(on_screen(remembered, screens, minimum, frame))
    else:
        window.setGeometry(fitted_geometry(screens[0] if screens else QRect(0, 0, 1024, 768),
                                           minimum))
    if settings.value(KEY_MAXIMISED, False, type=bool):
        window.setWindowState(Qt.WindowState.WindowMaximized)


def keep_on_screen(window: QWidget) -> None:
    """Once shown (the real frame known): bring ``window`` back within the screens if its
    frame reaches beyond them."""
    if not window.isVisible() or window.isMaximized() or window.isFullScreen():
        return
    current = window.geometry()
    kept = on_screen(current, screen_areas(), window.minimumSizeHint(), frame_margins(window))
    if kept != current:
        window.setGeometry(kept)


def save_window(window: QWidget) -> None:
    """Remember ``window``'s place, size and maximised state for the next start on this PC
    (silently not, when the settings cannot be written: the next start fits the screen)."""
    settings = store()
    normal = window.normalGeometry()
    if not normal.isValid() or normal.isEmpty():
        normal = window.geometry()
    settings.setValue(KEY_GEOMETRY, window.saveGeometry())
    settings.setValue(KEY_RECT, f"{normal.x()},{normal.y()},{normal.width()},{normal.height()}")
    if not (window.isMaximized() or window.isFullScreen()):  # a maximised frame differs
        frame = frame_margins(window)
        settings.setValue(KEY_FRAME,
                          f"{frame.left()},{frame.top()},{frame.right()},{frame.bottom()}")
    settings.setValue(KEY_MAXIMISED, window.isMaximized())
    settings.sync()
