"""`frontdesk print-test` and `frontdesk reprint` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.db import Database
from frontdesk.documents import service
from frontdesk.documents.receipts import Receipt, render_receipt
from tests.documents.helpers import MM, meta, page_sizes, pypdf_pages

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def _db_args(db: Database) -> list[str]:
    return ["--db", db.url]


def test_print_test_saves_a_page_of_each_kind(centre_db: Database, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main([*_db_args(centre_db), "print-test", "--pdf-dir", str(out)]) == 0
    files = sorted(out.glob("*.pdf"))
    assert [f.name.split("-", 1)[1] for f in files] == [
        "receipt80.pdf", "receipt58.pdf", "receipt80.pdf", "a4.pdf", "a4_landscape.pdf",
        "card.pdf"]
    widths = [page_sizes(f.read_bytes())[0][0] for f in files]
    assert widths == pytest.approx([80 * MM, 58 * MM, 80 * MM, 210 * MM, 297 * MM, 85.6 * MM],
                                   abs=0.01)
    assert "测试邻里中心" in pypdf_pages(files[0].read_bytes())[0]
    assert "2026-11-22" in pypdf_pages(files[0].read_bytes())[0]  # printed at NOW


def test_print_test_to_an_unknown_printer_is_refused(centre_db: Database,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    code = main([*_db_args(centre_db), "print-test", "--printer", "NoSuchPrinter"])
    assert code == 1
    assert "没有名为“NoSuchPrinter”的打印机" in capsys.readouterr().err


def test_reprint_to_a_pdf_file(centre_db: Database, desk: object, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    pdf = render_receipt(Receipt(meta("就餐凭证")))
    with centre_db.session() as session:
        info = service.archive_document(session, desk, kind="canteen.ticket",  # type: ignore[arg-type]
                                        title="就餐凭证", paper=service.PAPER_RECEIPT_80, pdf=pdf)
    out = tmp_path / "copy.pdf"
    args = [*_db_args(centre_db), "--operator", "desk", "reprint", str(info.id), "--pdf", str(out)]
    assert main(args) == 0
    assert "补打（第 1 次）" in pypdf_pages(out.read_bytes())[0]
    assert main(args) == 0
    assert "补打（第 2 次）" in pypdf_pages(out.read_bytes())[0]
    with centre_db.read() as session:
        assert service.get_document(session, info.id).reprint_count == 2


def test_reprint_of_an_unknown_document(centre_db: Database, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*_db_args(centre_db), "--operator", "desk", "reprint", "42", "--pdf",
                 str(tmp_path / "x.pdf")])
    assert code == 1
    assert "没有编号为 42 的文档" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.printing
def test_print_test_without_a_printer_uses_the_system_default_not_this_pcs_choice(
        centre_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line does not read the desk program's 本机设置 (a script prints the same
    on every PC): without --printer every page goes to the system's default printer."""
    import subprocess
    import time

    from frontdesk.ui import pc_settings
    from tests.ui.test_printing_cups import _output_dirs

    default = subprocess.run(["lpstat", "-d"], capture_output=True, text=True, check=False)
    if ":" not in default.stdout:
        pytest.skip("no default printer here (scripts/test.sh sets cups-pdf's PDF as default)")
    name = default.stdout.rsplit(":", 1)[1].strip()
    pc_settings.set_printer("receipt", "FrontdeskDeskPrinterOnlyInTheGui")
    before = {p for folder in _output_dirs() if folder.is_dir() for p in folder.glob("*.pdf")}
    assert main([*_db_args(centre_db), "print-test"]) == 0
    sent = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(sent) == 6 and all(f"已发送到打印机 {name}：" in line for line in sent), sent
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # leave cups-pdf's folder as it was
        printed = [p for folder in _output_dirs() if folder.is_dir()
                   for p in folder.glob("*_346_265_213_*.pdf") if p not in before]
        if len(printed) >= 6:
            time.sleep(1)
            for path in printed:
                path.unlink()
            break
        time.sleep(0.3)
