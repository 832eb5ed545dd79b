"""The desk's working context: the database, the logged-in operator, one session per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import exc as sa_exc

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database, explain_database_error
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr

T = TypeVar("T")


class DeskContext(QObject):
    """What every page shares. ``changed(topic)`` tells pages that data moved on."""

    changed = Signal(str)
    actor_changed = Signal()

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.db = db
        self.actor = actor
        from frontdesk.ui.errors import track_commits

        track_commits()  # so an unexpected error can say truly whether anything was saved

    def set_actor(self, actor: Actor) -> None:
        """Switch the logged-in operator (after unlocking as someone else)."""
        self.actor = actor
        self.actor_changed.emit()

    def run(self, action: Callable[..., T], *args: Any, topic: str = "", **kwargs: Any) -> T:
        """Run ``action(session, actor, ...)`` in one write transaction; raises on refusal.

        One action, one transaction: anything that raises inside ``action`` (a refusal or a
        bug) rolls all of it back, so an unexpected error here saved nothing."""
        # Database.write retries briefly while SQLite is locked, then explains in words.
        result = self.db.write(lambda session: action(session, self.actor, *args, **kwargs))
        if topic:
            self.changed.emit(topic)
        return result

    def read(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``query(session, ...)`` in one read-only transaction."""
        try:
            with self.db.read() as session:
                return query(session, *args, **kwargs)
        except sa_exc.OperationalError as exc:
            raise explain_database_error(exc, self.db.display_url) from exc

    def attempt(self, parent: QWidget | None, action: Callable[..., T], *args: Any,
                topic: str = "", **kwargs: Any) -> T | None:
        """Like :meth:`run`, but a refusal is shown to the user and gives None."""
        try:
            return self.run(action, *args, topic=topic, **kwargs)
        except FrontdeskError as exc:
            show_error(parent, exc.message)
            return None


def show_error(parent: QWidget | None, message: str) -> None:
    """Tell the user plainly why something was refused."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("无法完成"), message,
                      QMessageBox.StandardButton.Ok, parent)
    box.exec()

