"""`frontdesk sheet KIND --date D --pdf OUT`: the registry of day sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.documents import registry


def _fake_sheet(session: object, actor: Actor, day: dt.date) -> bytes:
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.documents.styles import DocumentMeta

    meta = DocumentMeta("测试中心", f"测试表 {day.isoformat()}", actor.display_name, actor.now())
    return render_sheet(SheetSpec(meta, (Column("序号"),), (("1",),)))


def test_unknown_kind_is_refused(centre_db: Database, admin: Actor) -> None:
    with pytest.raises(RuleError, match="没有这种登记表"), centre_db.session() as session:
        registry.render_day_sheet(session, admin, "nope", dt.date(2026, 11, 22))


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_sheet_command_saves_the_registered_pdf(centre_db: Database, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.DAY_SHEETS, "test", f"{__name__}:_fake_sheet")
    out = tmp_path / "sheet.pdf"
    code = main(["--db", centre_db.url, "--operator", "admin", "sheet", "test",
                 "--date", "2026-11-21", "--pdf", str(out)])
    assert code == 0
    from pypdf import PdfReader

    assert "测试表 2026-11-21" in PdfReader(out).pages[0].extract_text()
    assert main(["--db", centre_db.url, "--operator", "admin", "sheet", "test",
                 "--date", "21/11/2026", "--pdf", str(out)]) == 1
