"""The main window: navigation on the left, the page on the right, the scan box on top.

Start-up shows the window as a shell first (navigation, the centre's name remembered from
the last start) and attaches the desk (database and operator) once the database is open and
someone has logged in; only then are pages built. So this module imports no database code
at module level: SQLAlchemy alone takes longer to import than a whole bare Qt window.

The desk program's window opens where this PC's last run left it, or fitted to the screen
(:meth:`MainWindow.place_on_screen`, ``pc_settings``), and remembers itself when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from frontdesk.core.i18n import tr
from frontdesk.ui.pages import PAGES, PageSpec
from frontdesk.ui.widgets.fit import ElidedLabel
from frontdesk.ui.widgets.scan_box import ScanBox, ScanRouter

if TYPE_CHECKING:
    from frontdesk.core.centre import CentreInfo
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.help import GuideWindow
    from frontdesk.ui.idle import IdleWatcher
    from frontdesk.ui.pages.base import Page

NAV_STYLE = """
QListWidget#nav { background: #8b1a1a; color: white; border: none; font-size: 14pt; }
QListWidget#nav::item { padding: 12px 16px; }
QListWidget#nav::item:selected { background: #c0392b; color: white; }
QListWidget#nav:disabled { color: #e8b4b4; }
QLabel#waiting { color: #666; font-size: 14pt; }
"""


class MainWindow(QMainWindow):
    """邻里前台's one window.

    ``MainWindow(ctx)`` is ready to use at once. ``MainWindow(centre_name=...)`` is the
    start-up shell: it can be shown before the database is open, and :meth:`attach` gives
    it the desk when someone has logged in.
    """

    def __init__(self, ctx: DeskContext | None = None, *, centre_name: str = "") -> None:
        super().__init__()
        self._ctx: DeskContext | None = None
        self.pages: dict[str, Page] = {}
        self.centre_name = centre_name
        self.first_run_done = False  # set by start-up after the first-run dialog
        self.remembers_place = False  # place_on_screen() makes it remember itself on close
        self.resize(1280, 800)  # as pages and screenshots are drawn; place_on_screen() fits it
        self.setStyleSheet(NAV_STYLE)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.stack = QStackedWidget()
        for spec in PAGES:
            label = tr(spec.title) + (f"  {spec.shortcut}" if spec.shortcut else "")
            QListWidgetItem(label, self.nav)
            holder = QWidget()
            holder.setObjectName(f"holder_{spec.key}")
            self.stack.addWidget(holder)
            if spec.shortcut:
                shortcut = QShortcut(QKeySequence(spec.shortcut), self)
                shortcut.activated.connect(lambda key=spec.key: self._on_shortcut(key))
        self.waiting = QLabel(tr("正在打开数据库……"))
        self.waiting.setObjectName("waiting")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting)
        self.stack.setCurrentWidget(self.waiting)
        self.nav.setEnabled(False)
        self.nav.currentRowChanged.connect(self._on_nav)
        self.body = body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.scan_box = ScanBox()
        self.scan_box.setEnabled(False)
        self.scan_box.scanned.connect(self.on_scanned)
        QShortcut(QKeySequence("F2"), self).activated.connect(self.focus_scan_box)
        self.scan_router = ScanRouter(self.scan_box)
        toolbar = QToolBar(tr("扫码"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 13pt; padding: 0 12px;")
        toolbar.addWidget(self.title)
        toolbar.addWidget(self.scan_box)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy())
        toolbar.addWidget(spacer)
        self.help_button = QToolButton()
        self.help_button.setObjectName("helpButton")
        self.help_button.setText(tr("帮助"))
        self.help_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.help_menu = QMenu(self.help_button)
        self.guide_action = self.help_menu.addAction(tr("使用手册（本页）  F1"))
        self.guide_action.triggered.connect(self.open_guide)
        self.checklist_action = self.help_menu.addAction(tr("开业准备"))
        self.checklist_action.triggered.connect(self.open_checklist)
        self.checklist_action.setEnabled(False)
        self.about_action = self.help_menu.addAction(tr("关于邻里前台"))
        self.about_action.triggered.connect(self.open_about)
        self.help_button.setMenu(self.help_menu)
        toolbar.addWidget(self.help_button)
        QShortcut(QKeySequence("F1"), self).activated.connect(self.open_guide)
        self.guide: GuideWindow | None = None
        self.lock_button = QPushButton(tr("锁屏"))
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setEnabled(False)
        self.lock_button.clicked.connect(self.lock)
        toolbar.addWidget(self.lock_button)
        self.addToolBar(toolbar)

        # The centre's name and the database's path give way ("…") on a small screen; the
        # operator and the business date never do.
        self.status_centre = ElidedLabel()
        self.status_operator = QLabel()
        self.status_date = QLabel()
        self.status_db = ElidedLabel()
        for widget in (self.status_centre, self.status_operator, self.status_date):
            widget.setStyleSheet("padding: 0 10px; border-right: 1px solid #bbb;")
            self.statusBar().addWidget(widget)
        self.statusBar().addPermanentWidget(self.status_db)
        self.idle: IdleWatcher | None = None
        self.show_centre_name(centre_name)
        if ctx is not None:
            self.attach(ctx)

    @property
    def has_desk(self) -> bool:
        """Whether someone has logged in and the pages can be used."""
        return self._ctx is not None

    @property
    def ctx(self) -> DeskContext:
        """The desk (database and operator); there is none before :meth:`attach`."""
        if self._ctx is None:
            raise RuntimeError("the main window has no desk attached yet")
        return self._ctx

    def show_centre_name(self, name: str) -> None:
        """Title the window with the centre's name (remembered, then read from the database)."""
        self.centre_name = name
        self.setWindowTitle(tr("邻里前台 — {centre}", centre=name) if name else tr("邻里前台"))
        self.title.setText(name)
        self.status_centre.setText(tr("中心：{name}", name=name) if name else "")

    def retranslate_shell(self) -> None:
        """Re-word the shell after the database chose another language than the last start."""
        for row, spec in enumerate(PAGES):
            item = self.nav.item(row)
            if item is not None:
                item.setText(tr(spec.title) + (f"  {spec.shortcut}" if spec.shortcut else ""))
        self.waiting.setText(tr("正在打开数据库……"))
        self.lock_button.setText(tr("锁屏"))
        self.help_button.setText(tr("帮助"))
        self.guide_action.setText(tr("使用手册（本页）  F1"))
        self.checklist_action.setText(tr("开业准备"))
        self.about_action.setText(tr("关于邻里前台"))
        self.scan_box.retranslate()
        self.show_centre_name(self.centre_name)

    def current_page_key(self) -> str:
        """The key of the page on show ("" before the desk is attached)."""
        row = self.nav.currentRow()
        return PAGES[row].key if self.has_desk and 0 <= row < len(PAGES) else ""

    def open_guide(self) -> GuideWindow:
        """F1: the user guide at the current page's section (a new window each time)."""
        from frontdesk.ui.help import GuideWindow

        if self.guide is not None:
            self.guide.close()
            self.guide.deleteLater()
        self.guide = GuideWindow(self.current_page_key(), self)
        self.guide.show()
        return self.guide

    def open_checklist(self) -> None:
        """开业准备: each job's readiness; its buttons lead to the forms that fix it."""
        from frontdesk.ui.opening import OpeningChecklist

        checklist = OpeningChecklist(self.ctx, self)
        checklist.go_to.connect(self.show_tab)
        checklist.exec()

    def show_tab(self, key: str, tab: str = "") -> Page:
        """Show page ``key`` and, when named, the set-up form ``tab`` of it."""
        page = self.show_page(key)
        if tab:
            page.open_setup(tab)
        return page

    def open_about(self) -> None:
        """关于: the version, the data folder, the database and the log folder."""
        from frontdesk.ui.help import AboutDialog

        database = self.ctx.db.display_url if self.has_desk else ""
        AboutDialog(database, self).exec()

    def show_waiting(self, text: str) -> None:
        """Say in the page area what start-up is doing (before the desk is attached)."""
        self.waiting.setText(text)

    def place_on_screen(self, like: QMainWindow | None = None) -> None:
        """Before showing the desk program's window: where this PC's last run left it (or
        where ``like``, the window it replaces, is), else fitted to the screen; and remember
        the place when it closes."""
        from frontdesk.ui import pc_settings

        if like is not None and like.isVisible():
            self.restoreGeometry(like.saveGeometry())
        else:
            pc_settings.restore_window(self)
        self.remembers_place = True
        # Once shown the window system tells the real title bar: still within the screen?
        QTimer.singleShot(0, self, lambda: pc_settings.keep_on_screen(self))  # unless deleted

    def attach(self, ctx: DeskContext) -> None:
        """Give the window its desk: read the centre, start the clock and idle lock, take
        printers an older version kept in the database over to this PC, and open the first
        page just after the window has painted."""
        from frontdesk.core import settings
        from frontdesk.core.centre import centre_info
        from frontdesk.ui import pc_settings
        from frontdesk.ui.idle import IdleWatcher

        self._ctx = ctx
        with ctx.db.read() as session:
            self.centre: CentreInfo = centre_info(session)
            idle_minutes = int(settings.get(session, "security.idle_lock_minutes"))
        pc_settings.carry_over_from_database(ctx.db)
        self.show_centre_name(self.centre.name)
        self.update_status()
        ctx.actor_changed.connect(self.update_status)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(30_000)  # the business date rolls over at midnight
        self.clock_timer.timeout.connect(self.update_status)
        self.clock_timer.start()
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(self.lock)
        if self.isVisible():
            self._install_filters()
        for widget in (self.nav, self.scan_box, self.lock_button, self.checklist_action):
            widget.setEnabled(True)
        # The first page loads its data right after this returns, so the window paints
        # at once; current_page() builds it on demand before that.
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)
        QTimer.singleShot(0, lambda: self._on_nav(self.nav.currentRow()))

    # -- the installed-on-show application filters ---------------------------------------
    def _install_filters(self) -> None:
        app = QApplication.instance()
        if app is not None and self.idle is not None:
            app.installEventFilter(self.scan_router)
            app.installEventFilter(self.idle)

    def showEvent(self, event: object) -> None:
        if self._ctx is not None:
            self._install_filters()
        if self.idle is not None and not self.idle.timer.isActive():
            self.idle.resume()
            self.idle.timer.start()
        super().showEvent(event)  # type: ignore[arg-type]

    def closeEvent(self, event: object) -> None:
        if self.remembers_place:
            from frontdesk.ui import pc_settings

            pc_settings.save_window(self)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.scan_router)
            if self.idle is not None:
                app.removeEventFilter(self.idle)
        if self.idle is not None:
            self.idle.timer.stop()  # a closed window never locks itself later
        super().closeEvent(event)  # type: ignore[arg-type]

    # -- navigation ------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page called ``key``, built on first use.

        Each page sits in a scroll area of its own: on a screen lower than a page needs
        (1366x768 with a task bar and a title bar leaves about 630 pixels for a page) the
        page scrolls instead of making the window taller than the screen.
        """
        if key not in self.pages:
            index = [s.key for s in PAGES].index(key)
            spec: PageSpec = PAGES[index]
            page = spec.create(self.ctx)
            area = QScrollArea()
            area.setObjectName(f"area_{key}")
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click on the page keeps the focus
            area.setWidget(page)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, area)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self.pages[key] = page
        return self.pages[key]

    def _on_shortcut(self, key: str) -> None:
        if self._ctx is not None:  # no pages before someone has logged in
            self.show_page(key)

    def show_page(self, key: str) -> Page:
        """Switch to the page called ``key`` and refresh it."""
        index = [s.key for s in PAGES].index(key)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # re-enters via _on_nav
        return self.page(key)

    def current_page(self) -> Page:
        """The page on screen."""
        return self.page(PAGES[self.nav.currentRow()].key)

    def _on_nav(self, row: int) -> None:
        if row < 0 or self._ctx is None:
            return
        page = self.page(PAGES[row].key)
        self.stack.setCurrentIndex(row)  # the page's scroll area
        page.refresh()

    # -- scanning --------------------------------------------------------------------------
    def focus_scan_box(self) -> None:
        self.scan_box.setFocus()
        self.scan_box.selectAll()

    def on_scanned(self, text: str) -> None:
        """Open what a scanned code identifies, or let the current page search for it."""
        from frontdesk.core import scan
        from frontdesk.core.errors import FrontdeskError
        from frontdesk.ui.context import show_error

        try:
            hit = self.ctx.read(scan.resolve, text)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        page = self.current_page()
        if hit is not None:
            # A page that works with this kind of record keeps the scan (a resident's card
            # on the canteen page means a meal); otherwise open the record's own page.
            if hit.kind not in page.scan_kinds:
                page = self.show_page(hit.page)
            page.show_hit(hit)
            self.statusBar().showMessage(tr("已找到：{label}", label=hit.label), 5000)
            return
        if not page.handle_scan(text):
            self.statusBar().showMessage(tr("没有找到与“{text}”对应的记录。", text=text), 8000)

    # -- status and locking ------------------------------------------------------------------
    def update_status(self) -> None:
        from frontdesk.core.actor import role_label

        actor = self.ctx.actor
        self.status_centre.setText(tr("中心：{name}", name=self.centre.name))
        self.status_operator.setText(tr("操作员：{name}（{role}）", name=actor.display_name,
                                        role=role_label(actor.role)))
        self.status_date.setText(tr("营业日期：{date}", date=actor.today().isoformat()))
        self.status_db.setText(tr("数据库：{url}", url=self.ctx.db.display_url))

    def lock(self) -> None:
        """Hide the desk behind the login until someone enters a password."""
        from frontdesk.ui.dialogs import LoginDialog

        assert self.idle is not None
        self.idle.paused = True
        dialog = LoginDialog(self.ctx.db, self.centre.name, locked_user=self.ctx.actor.username,
                             clock=self.ctx.actor.clock, parent=self)  # one clock per desk
        self.body.setVisible(False)
        try:
            if dialog.exec() and dialog.actor is not None:
                if dialog.actor != self.ctx.actor:
                    self.ctx.set_actor(dialog.actor)
            else:
                self.close()
        finally:
            self.body.setVisible(True)
            self.idle.resume()
