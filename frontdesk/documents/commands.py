"""Document subcommands: print-test, sheet and reprint.

Which printer: ``--printer NAME``, else the system's default printer (else the first one listed).
The printers chosen in the desk program (设置 → 本机设置) are this PC's Qt settings, which the
command line does not read: a script prints where it says, the same on every PC.
"""

from __future__ import annotations

import os
from typing import Any

from frontdesk.cli import CliContext, add_command, output_dir, output_file
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add print-test, sheet and reprint."""
    printer_help = tr(
        "打印机名称（默认：系统默认打印机。桌面程序“本机设置”里选的打印机只用于桌面程序）")
    p = add_command(subparsers, "print-test", cmd_print_test,
                    tr("打印每种纸张的测试页（小票、A4、卡片）"))
    p.add_argument("--printer", metavar="NAME", help=printer_help)
    p.add_argument("--pdf-dir", type=output_dir, metavar="DIR",
                   help=tr("不打印，把测试页保存为 PDF 文件到这个文件夹"))

    p = add_command(subparsers, "sheet", cmd_sheet, tr("把某天的登记表保存为 PDF"))
    p.add_argument("kind", metavar="KIND", help=tr(
        "登记表种类：attendance、canteen、canteen_route、canteen_kitchen、rooms、volunteers、shop"))
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--pdf", required=True, type=output_file, metavar="OUT")

    p = add_command(subparsers, "reprint", cmd_reprint, tr("补打一份已存档的文档"))
    p.add_argument("doc_id", type=int, metavar="DOC_ID")
    p.add_argument("--pdf", type=output_file, metavar="OUT", help=tr("不打印，保存为 PDF 文件"))
    p.add_argument("--printer", metavar="NAME", help=printer_help)


def cmd_sheet(ctx: CliContext) -> int:
    import datetime as dt

    from frontdesk.documents.registry import render_day_sheet

    try:
        day = dt.date.fromisoformat(ctx.args.date)
    except ValueError:
        raise RuleError(tr("日期格式应为 YYYY-MM-DD：{text}", text=ctx.args.date)) from None
    with ctx.write() as (session, actor):
        pdf = render_day_sheet(session, actor, ctx.args.kind, day)
    try:
        ctx.args.pdf.write_bytes(pdf)
    except OSError as exc:
        raise RuleError(tr("无法保存文件：{err}", err=exc)) from None
    print(ctx.args.pdf)
    return 0


def _qt_printing() -> Any:
    """The Qt printing module, with an application object (offscreen without a display)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from frontdesk.ui import printing

    printing.ensure_application()
    return printing


def _printer_for(printing: Any, wanted: str | None) -> str:
    """``wanted`` if this computer has it; without one the system's default printer."""
    available = printing.available_printers()
    if wanted:
        if wanted not in available:
            raise RuleError(tr("没有名为“{printer}”的打印机。可用的打印机：{names}",
                               printer=wanted, names="、".join(available) or tr("无")))
        return wanted
    chosen: str = printing.pick_printer("")
    if chosen:
        return chosen
    raise RuleError(
        tr("这台电脑没有可用的打印机。可以用 --pdf-dir（补打用 --pdf）保存为 PDF 文件。"))


def cmd_print_test(ctx: CliContext) -> int:
    from frontdesk.core.actor import Actor
    from frontdesk.core.centre import centre_info
    from frontdesk.documents.testpages import test_pages

    with ctx.db.read() as session:
        centre = centre_info(session)
    operator = ctx.args.operator or Actor.system().display_name
    pages = test_pages(centre.name, operator, Actor.system().now())
    if ctx.args.pdf_dir is not None:
        ctx.args.pdf_dir.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages, start=1):
            path = ctx.args.pdf_dir / f"{number:02d}-{page.paper}.pdf"
            try:
                path.write_bytes(page.pdf)
            except OSError as exc:
                raise RuleError(tr("无法保存 PDF 文件“{path}”：{error}", path=path,
                                   error=exc.strerror or exc)) from exc
            print(path)
        return 0
    printing = _qt_printing()
    for page in pages:
        printer = _printer_for(printing, ctx.args.printer)
        printing.print_pdf(page.pdf, printer, page.title)
        print(tr("已发送到打印机 {printer}：{title}", printer=printer, title=page.title))
    return 0


def cmd_reprint(ctx: CliContext) -> int:
    from frontdesk.documents import service

    doc_id = ctx.args.doc_id
    with ctx.write() as (session, actor):
        info = service.get_document(session, doc_id)
        pdf = service.reprint_pdf(session, actor, doc_id)
    if ctx.args.pdf is not None:
        try:
            ctx.args.pdf.write_bytes(pdf)
        except OSError as exc:
            raise RuleError(tr("无法保存 PDF 文件“{path}”：{error}", path=ctx.args.pdf,
                               error=exc.strerror or exc)) from exc
        where = str(ctx.args.pdf)
    else:
        printing = _qt_printing()
        where = _printer_for(printing, ctx.args.printer)
        printing.print_pdf(pdf, where, info.title)
    # Counted only once the paper exists: a failed print is no reprint.
    with ctx.write() as (session, actor):
        reprint = service.mark_reprint(session, actor, doc_id)
    print(tr("已补打文档 {id}（第 {n} 次）：{where}", id=doc_id, n=reprint.document.reprint_count,
             where=where))
    return 0
