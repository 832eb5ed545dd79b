"""The base of every page in the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from frontdesk.core.i18n import tr

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec


class Page(QWidget):
    """A page: refreshes itself when shown or when data it shows changed."""

    #: topics of DeskContext.changed that make this page refresh
    topics: tuple[str, ...] = ()
    #: kinds of scanned records (ScanHit.kind) this page works with itself
    scan_kinds: tuple[str, ...] = ()

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__()
        self.ctx = ctx
        self.spec = spec
        self.setObjectName(f"page_{spec.key}")
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, topic: str) -> None:
        if topic in self.topics and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows (called when it is shown)."""

    def show_hit(self, hit: ScanHit) -> None:
        """Show or use a record the global scan box found (e.g. a resident's card)."""

    def handle_scan(self, text: str) -> bool:
        """Take text from the global scan box that no resolver recognised; True if used."""
        return False

    def tab_names(self) -> list[str]:
        """The names of the page's tabs (``self.tabs``; each tab widget's objectName), in order.

        ``frontdesk screenshot PAGE:TAB`` opens a tab by this name, e.g. ``settings:backup``.
        """
        tabs = getattr(self, "tabs", None)
        if not isinstance(tabs, QTabWidget):
            return []
        widgets = (tabs.widget(i) for i in range(tabs.count()))
        return [w.objectName() if w is not None else "" for w in widgets]

    def show_tab(self, name: str) -> None:
        """Bring the tab called ``name`` to the front; KeyError if the page has no such tab."""
        names = self.tab_names()
        if name not in names:
            raise KeyError(name)
        tabs = getattr(self, "tabs")  # noqa: B009 - tab_names() checked it is a QTabWidget
        tabs.setCurrentIndex(names.index(name))

    def open_setup(self, part: str) -> None:
        """Open the form for set-up ``part`` (a readiness line's tab); pages whose set-up
        forms live in a dialog open that dialog instead."""
        self.show_tab(part)

    def say(self, message: str, ms: int = 5000) -> None:
        """Show a short message in the main window's status bar."""
        from PySide6.QtWidgets import QMainWindow

        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, ms)

    @staticmethod
    def heading(text: str) -> QLabel:
        """A page title in the house style."""
        label = QLabel(text)
        label.setStyleSheet("font-size: 16pt; font-weight: bold; margin-bottom: 6px;")
        return label

    @staticmethod
    def admin_only_notice() -> QLabel:
        """What a desk operator sees on an admin-only page."""
        label = QLabel(tr("只有管理员可以查看此页面。请用管理员账号登录。"))
        label.setWordWrap(True)
        return label
