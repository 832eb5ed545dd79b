"""Help where the user is: the user guide (shipped with the program, read offline) opened at
the section of the current page (F1), and the "about" box."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QGuiApplication,
    QImageReader,
    QShowEvent,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import current_language, tr

# The guide's heading each page opens at: the start of the heading line, per language.
# tests/ui/test_help.py checks that every one of them is in the shipped guide.
SECTIONS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "checkin": "3.2 来访签到",
        "canteen": "3.3 长者食堂",
        "rooms": "3.4 场地预约",
        "volunteers": "3.5 志愿服务积分",
        "dayclose": "3.6 日结与导出",
        "documents": "4. 打印机出问题怎么办",
        "settings": "6. 数据在哪里",
        "residents": "3. 每天的工作",
        "audit": "9. 常见问题",
    },
    "en": {
        "checkin": "3.2 Visitor check-in",
        "canteen": "3.3 Elder canteen",
        "rooms": "3.4 Room bookings",
        "volunteers": "3.5 Volunteer points",
        "dayclose": "3.6 Day close",
        "documents": "4. When the printer fails",
        "settings": "6. Where the data is",
        "residents": "3. The daily routine",
        "audit": "9. Common questions",
    },
}
GUIDE_FILES = {"zh_CN": "用户手册.md", "en": "user-guide.md"}
IMAGE_MAX_WIDTH = 720  # screenshots in the guide are 1280 px wide: shown scaled to the window


def guide_language() -> str:
    """The guide's language: the user's, when a guide in it ships; else Chinese."""
    lang = current_language()
    return lang if lang in GUIDE_FILES else "zh_CN"


def guide_path(lang: str) -> Path:
    """The user guide in ``lang``, as shipped with the program (its pictures beside it)."""
    from frontdesk.core.resources import GUIDE_DIR, file_path

    return file_path(GUIDE_DIR, GUIDE_FILES[lang])


class GuideWindow(QDialog):
    """The user guide, opened at one section; not modal, so the desk stays usable."""

    def __init__(self, page_key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.setWindowTitle(tr("使用手册"))
        self.setModal(False)
        self.lang = guide_language()
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(False)
        try:
            path = guide_path(self.lang)
            text = path.read_text(encoding="utf-8")
        except (OSError, FrontdeskError) as exc:  # a broken install: say so, in the window
            logging.getLogger(__name__).error("user guide not readable: %s", exc)
            self.browser.setPlainText(tr("找不到使用手册。请重新安装程序。"))
        else:
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setMarkdown(text)
            _fit_images(self.browser.document(), path.parent, IMAGE_MAX_WIDTH)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width = min(860, room.width() - 40) if room is not None else 860
        height = min(700, room.height() - 60) if room is not None else 700
        self.resize(width, height)
        self.section = self.open_section(page_key)

    def open_section(self, page_key: str) -> str:
        """Put the cursor on the section for ``page_key``; returns its heading ("" for the
        top). The heading is scrolled to the top of the view once the window is laid out."""
        heading = SECTIONS[self.lang].get(page_key, "")
        block = self.browser.document().begin()
        while heading and block.isValid():
            if block.blockFormat().headingLevel() and block.text().startswith(heading):
                self.browser.setTextCursor(QTextCursor(block))
                self.scroll_to_cursor()
                return block.text()
            block = block.next()
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        return ""

    def scroll_to_cursor(self) -> None:
        """Scroll so that the cursor's heading is the first line in view."""
        block = self.browser.textCursor().block()
        top = self.browser.document().documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top))

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        # The text is laid out at its real width only now: place the heading again.
        self.scroll_to_cursor()


def _fit_images(document: QTextDocument, folder: Path, max_width: int) -> None:
    """Scale every picture wider than ``max_width`` down to it (keeping its proportions)."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isImageFormat():
                image_fmt: QTextImageFormat = fragment.charFormat().toImageFormat()
                size = QImageReader(str(folder / image_fmt.name())).size()
                if size.width() > max_width:
                    image_fmt.setWidth(max_width)
                    image_fmt.setHeight(size.height() * max_width / size.width())
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image_fmt)
            it += 1
        block = block.next()


class AboutDialog(QDialog):
    """关于邻里前台: the version and where this desk keeps its data, database and log."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        from frontdesk import __version__
        from frontdesk.core.log import log_dir
        from frontdesk.core.paths import data_dir

        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("关于邻里前台"))
        form = QFormLayout()
        self.values: dict[str, str] = {
            "version": __version__,
            "data": str(data_dir()),
            "database": database,
            "log": str(log_dir()),
        }
        labels = {"version": tr("版本"), "data": tr("数据文件夹"), "database": tr("数据库"),
                  "log": tr("日志文件夹")}
        for key, value in self.values.items():
            label = QLabel(value)
            label.setObjectName(f"about_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(labels[key], label)
        title = QLabel(tr("邻里前台 — 党建+邻里中心前台系统"))
        title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        note = QLabel(tr("遇到问题时，请把日志文件夹里的 frontdesk.log 发给技术支持。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
