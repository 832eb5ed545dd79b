"""The program's icon: shipped, drawn without fonts, and set on the application."""

from __future__ import annotations

from frontdesk.core import resources


def test_the_icon_files_are_shipped_and_the_svg_needs_no_font() -> None:
    svg = resources.read_text("icons", "frontdesk.svg")
    assert "<path" in svg and "<text" not in svg  # 邻 is an outline, not a font lookup
    assert resources.read_bytes("icons", "frontdesk.png").startswith(b"\x89PNG")
    assert resources.read_bytes("icons", "frontdesk.ico")[:4] == b"\x00\x00\x01\x00"  # ICO


def test_the_application_carries_the_window_icon(qapp: object) -> None:
    from frontdesk.app import create_application

    app = create_application(None)
    assert not app.windowIcon().isNull()  # type: ignore[attr-defined]
    assert app.windowIcon().availableSizes()[0].width() == 256  # type: ignore[attr-defined]
