"""The volunteers page prints: the receipt after a redemption, reprints, statements and
certificates for a chosen period; edit dialogs; the ledger check off the GUI thread."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QDate

from frontdesk.documents import service as documents
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.volunteers_dialogs import GoodsDialog, PapersDialog, VolunteerDialog
from frontdesk.ui.pages.volunteers_page import VolunteersPage
from frontdesk.volunteers import ledger, papers, service, shop
from tests.documents.helpers import pypdf_pages, squash

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    for where in ("frontdesk.ui.context", "frontdesk.ui.pages.volunteers_page",
                  "frontdesk.ui.pages.volunteers_dialogs", "frontdesk.ui.printing"):
        monkeypatch.setattr(f"{where}.show_error", lambda _p, m: shown.append(m))
    return shown


@pytest.fixture
def page(qtbot, vdb, admin, printed):
    db, s = vdb
    with db.session() as session:
        service.add_record(session, admin, s.vol_a, s.tenfold, TODAY, hours=8, reason="补录")
    widget = VolunteersPage(DeskContext(db, admin), page_spec("volunteers"))
    qtbot.add_widget(widget)
    widget.show()
    widget.refresh()
    yield widget
    qtbot.waitUntil(lambda: not widget.ledger.checker.running)


def redeem_soap(page) -> None:
    desk = page.desk
    page.tabs.setCurrentWidget(desk)
    page.handle_scan("ZY000001")
    desk.goods_view.selectRow(0)  # 香皂 12
    desk.add_selected()
    desk.confirm.click()


def test_a_redemption_prints_its_receipt_and_can_be_reprinted(page, vdb, printed,
                                                                errors) -> None:
    db, _ = vdb
    redeem_soap(page)
    assert errors == []
    paper, title, pdf = printed.jobs[-1]
    assert (paper, title) == (documents.PAPER_RECEIPT_80, "积分兑换小票 DH20261122-0001")
    assert "兑换后余额68积分" in squash(pypdf_pages(pdf)[0])
    with db.read() as session:
        docs = documents.list_documents(session, record_type="redemption")
    assert [(d.kind, d.record_id, d.paper) for d in docs] == [
        (papers.KIND_RECEIPT, "1", documents.PAPER_RECEIPT_80)]
    page.desk.recent_view.selectRow(0)
    page.desk.reprint()
    assert len(printed.jobs) == 2 and "补打" in squash(pypdf_pages(printed.jobs[-1][2])[0])
    with db.read() as session:
        assert documents.get_document(session, docs[0].id).reprint_count == 1


def test_a_receipt_that_fails_to_render_loses_nothing(page, vdb, printed, errors,
                                                      monkeypatch) -> None:
    db, _ = vdb
    real = papers.receipt_pdf

    def broken(*_args, **_kwargs):
        raise OSError("font file unreadable")

    monkeypatch.setattr(papers, "receipt_pdf", broken)
    redeem_soap(page)
    assert printed.jobs == []
    assert "兑换 DH20261122-0001 已完成，但小票生成失败" in errors[-1]
    with db.read() as session:  # the redemption and its points stayed
        assert shop.list_redemptions(session)[0].number == "DH20261122-0001"
        assert service.balance(session, 1) == 68
        assert documents.list_documents(session, record_type="redemption") == []
    monkeypatch.setattr(papers, "receipt_pdf", real)
    page.desk.recent_view.selectRow(0)
    page.desk.reprint()  # nothing archived yet: a first print, archived now
    assert len(printed.jobs) == 1
    with db.read() as session:
        assert len(documents.list_documents(session, record_type="redemption")) == 1


def test_statement_and_certificate_for_a_chosen_period(qtbot, page, vdb, printed,
                                                       errors) -> None:
    db, s = vdb
    from frontdesk.volunteers.setup import set_certificate_details

    # The centre's details are filled in: the certificate is issued without a question.
    page.ctx.run(set_certificate_details, head="王主任", contact="0595-85601234")
    v = page.ctx.read(service.get_volunteer, s.vol_a)
    dialog = PapersDialog(page.ctx, v)
    qtbot.add_widget(dialog)
    assert not dialog.details_warning.isVisibleTo(dialog)
    assert dialog.date_from.date() == QDate(2026, 1, 1)
    dialog.date_from.setDate(QDate(2026, 11, 1))
    dialog.print_statement()
    dialog.issue_certificate()
    assert errors == []
    titles = [t for _p, t, _pdf in printed.jobs]
    assert titles == ["志愿服务明细 张三 2026-11-01至2026-11-22",
                      "志愿服务证明 ZYZM2026-00001 张三"]
    certificate = squash(pypdf_pages(printed.jobs[1][2])[0])
    assert "2026-11-01至2026-11-22" in certificate and "350582********1234" in certificate
    assert dialog.earlier.count() == 2
    dialog.earlier.setCurrentRow(0)
    dialog.reprint()
    assert len(printed.jobs) == 3 and "补打" in squash(pypdf_pages(printed.jobs[2][2])[0])
    # An empty period is refused with a reason, and no number is used up.
    dialog.date_from.setDate(QDate(2026, 1, 1))
    dialog.date_to.setDate(QDate(2026, 1, 31))
    dialog.issue_certificate()
    assert errors == ["这段时间没有服务记录，无法开具证明。"]
    with db.read() as session:
        assert len(documents.list_documents(session, record_type="volunteer",
                                            record_id=s.vol_a)) == 2


def test_edit_dialogs_save_and_keep_input_on_refusal(qtbot, page, vdb, errors) -> None:
    db, s = vdb
    v = page.ctx.read(service.get_volunteer, s.vol_b)
    dialog = VolunteerDialog(page.ctx, v)
    qtbot.add_widget(dialog)
    dialog.skills.setText("理发")
    dialog.active.setChecked(False)
    dialog.accept()
    assert dialog.result() == 1
    with db.read() as session:
        after = service.get_volunteer(session, s.vol_b)
    assert (after.skills, after.active) == ("理发", False)
    goods = page.ctx.read(shop.list_goods)[0]
    edit = GoodsDialog(page.ctx, goods)
    qtbot.add_widget(edit)
    edit.show()
    edit.name.setText("炒锅")  # taken
    edit.accept()
    assert errors == ["已有名为“炒锅”的物品。"]
    assert edit.isVisible() and edit.name.text() == "炒锅"


def test_ledger_check_runs_off_the_gui_thread_with_progress(qtbot, page, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "PROGRESS_EVERY", 1)
    seen_threads: list[str] = []
    real = ledger.verify_ledger

    def spy(session, progress=None):
        seen_threads.append(threading.current_thread().name)
        return real(session, progress)

    monkeypatch.setattr(ledger, "verify_ledger", spy)
    tab = page.ledger
    finished: list[object] = []
    progress: list[tuple[int, int]] = []
    tab.checker.finished.connect(finished.append)
    tab.checker.progressed.connect(lambda done, total: progress.append((done, total)))
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=10_000)
    assert seen_threads == ["ledger-check"]
    assert not tab.progress.isVisible() and tab.verify_button.isEnabled()
    assert "共 1 条，校验通过" in tab.status.text()
    tab.verify()
    assert not tab.verify_button.isEnabled() and tab.progress.isVisible()
    assert not tab.checker.start()  # one walk at a time
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert progress[-1] == (1, 1) and tab.verify_button.isEnabled()
