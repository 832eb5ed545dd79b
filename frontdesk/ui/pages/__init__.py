"""The main window's pages, in navigation order. Each feature points its entry at its page."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontdesk.core.i18n import N_

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry: its key (also the `frontdesk screenshot` name) and its page."""

    key: str
    title: str  # Chinese source text, shown through tr()
    factory: str  # "module:Class"; the class takes (DeskContext, PageSpec)
    shortcut: str = ""

    def create(self, ctx: DeskContext) -> Page:
        """Build the page (imported on first visit, which keeps start-up light)."""
        module_name, class_name = self.factory.split(":")
        page_class = getattr(importlib.import_module(module_name), class_name)
        page: Page = page_class(ctx, self)
        return page


_PLACEHOLDER = "frontdesk.ui.pages.placeholder:PlaceholderPage"

PAGES: list[PageSpec] = [
    PageSpec("checkin", N_("签到"), "frontdesk.ui.pages.checkin_page:CheckinPage", "F3"),
    PageSpec("canteen", N_("长者食堂"), "frontdesk.ui.pages.canteen_page:CanteenPage", "F4"),
    PageSpec("rooms", N_("场地预约"), "frontdesk.ui.pages.rooms_page:RoomsPage", "F5"),
    PageSpec("volunteers", N_("志愿积分"), "frontdesk.ui.pages.volunteers_page:VolunteersPage",
             "F6"),
    PageSpec("residents", N_("居民档案"), "frontdesk.ui.pages.residents_page:ResidentsPage", "F7"),
    PageSpec("dayclose", N_("日结与导出"), "frontdesk.ui.pages.dayclose_page:DayClosePage", "F8"),
    PageSpec("documents", N_("文档"), "frontdesk.ui.pages.documents_page:DocumentsPage"),
    PageSpec("settings", N_("设置"), "frontdesk.ui.pages.settings_page:SettingsPage", "F9"),
    PageSpec("audit", N_("操作日志"), "frontdesk.ui.pages.audit_page:AuditPage", "F10"),
]


def page_spec(key: str) -> PageSpec:
    """The page called ``key``."""
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)
