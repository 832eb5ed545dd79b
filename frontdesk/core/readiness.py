"""What the opening checklist (开业准备) asks of each job: is it set up, and if not, what is
missing and which screen fixes it. Features report these; core only names the shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadinessItem:
    """One line of the opening checklist.

    ``key`` names the line for code (``canteen.sessions``); ``job`` and ``missing`` are
    translated text for the screen; ``page`` (and ``tab``, the object name of a tab on that
    page) say where the form that fixes it is. ``needed`` False marks something useful but
    not required to open (meals sell at full price without subsidy rules).
    """

    key: str
    job: str
    ready: bool
    missing: str = ""
    page: str = ""
    tab: str = ""
    needed: bool = True
