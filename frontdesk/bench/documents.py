"""Documents: font registration (once per process), an 80 mm receipt, a 500-row A4 sheet."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Callable

from frontdesk.bench.harness import BenchRun
from frontdesk.core.clock import CENTRE_TZ

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CENTRE_TZ)
CENTRE = "晋江市梅岭街道桂山社区党建+邻里中心"

REGISTER_PROBE = (
    "import time\n"
    "start = time.perf_counter()\n"
    "from frontdesk.documents import fonts\n"
    "fonts.register_fonts()\n"
    "print((time.perf_counter() - start) * 1000)\n"
)


def _cpu_ms(func: Callable[[], object], repeat: int) -> list[float]:
    """CPU time of each call in ms: on a busy shared machine, the work itself without waiting."""
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        samples.append((time.process_time() - start) * 1000)
    return samples


def run(bench: BenchRun) -> None:
    """The issue's targets: receipt p95 ≤ 40 ms, 500-row sheet ≤ 600 ms; registration reported."""
    from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.documents.styles import DocumentMeta

    if bench.wanted("font registration"):
        # A fresh process each time: registration happens once per process.
        repeat = 5 if bench.scale == "full" else 2
        samples = [float(subprocess.run([sys.executable, "-c", REGISTER_PROBE], check=True,
                                        capture_output=True, text=True).stdout)
                   for _ in range(repeat)]
        bench.record_samples("font registration (fresh process, with import)", samples,
                             note="once per process, first print only")

    from frontdesk.documents import fonts

    fonts.register_fonts()
    receipt = Receipt(
        DocumentMeta(CENTRE, "长者食堂就餐凭证", "林小燕", NOW),
        lines=(ReceiptLine("姓名", "王𠮷"), ReceiptLine("类别", "80 岁以上 本地户籍"),
               ReceiptLine("套餐（三菜一汤）", "9.90 元"), ReceiptLine("政府补助", "3.00 元"),
               ReceiptLine("村级补助", "1.00 元"), ReceiptLine("慈善", "0.90 元")),
        number="T20261122-0042", total=ReceiptLine("个人支付", "5.00 元", bold=True),
        notes=("请凭此票取餐，当日有效。",), qr="T20261122-0042")
    repeat = 50 if bench.scale == "full" else 10
    bench.time("80 mm receipt (fonts registered)", lambda: render_receipt(receipt),
               repeat=repeat, target_ms=40)
    if bench.wanted("80 mm receipt CPU"):
        bench.record_samples("80 mm receipt CPU time", _cpu_ms(lambda: render_receipt(receipt),
                                                               repeat))

    rows_n = 500 if bench.scale == "full" else 50
    columns = (Column("序号", 0.6, "right"), Column("姓名", 2), Column("性别", 0.6, "centre"),
               Column("电话", 1.8), Column("事由", 3), Column("接待人", 1.2), Column("签名", 2))
    names = ("张三", "李四", "王𠮷", "欧阳淑芬", "陈喆", "林玥")
    rows = tuple((str(i + 1), names[i % len(names)], "男" if i % 2 else "女",
                  f"1390595{i:04d}", "便民服务站 社保卡挂失" if i % 3 else "长者食堂 午餐",
                  "林小燕", "") for i in range(rows_n))
    spec = SheetSpec(DocumentMeta(CENTRE, "来访登记表", "林小燕", NOW), columns, rows,
                     subtitle="2026年11月22日", signature_rows=True)
    repeat = 5 if bench.scale == "full" else 2
    bench.time(f"A4 sheet of {rows_n} rows", lambda: render_sheet(spec), repeat=repeat,
               warmup=1, target_ms=600 if bench.scale == "full" else None)
    if bench.wanted(f"A4 sheet of {rows_n} rows CPU"):
        bench.record_samples(f"A4 sheet of {rows_n} rows CPU time",
                             _cpu_ms(lambda: render_sheet(spec), repeat))
