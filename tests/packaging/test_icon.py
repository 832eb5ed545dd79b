"""The program's icon: shipped, drawn without fonts, and set on the application."""

from __future__ import annotations

from frontdesk.core.paths import resource_dir


def test_the_icon_files_are_shipped_and_the_svg_needs_no_font() -> None:
    icons = resource_dir() / "icons"
    svg = (icons / "frontdesk.svg").read_text(encoding="utf-8")
    assert "<path" in svg and "<text" not in svg  # 邻 is an outline, not a font lookup
    assert (icons / "frontdesk.png").read_bytes().startswith(b"\x89PNG")
    assert (icons / "frontdesk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_the_application_carries_the_window_icon(qapp: object) -> None:
    from frontdesk.app import create_application

    app = create_application(None)
    assert not app.windowIcon().isNull()  # type: ignore[attr-defined]
    assert app.windowIcon().availableSizes()[0].width() == 256  # type: ignore[attr-defined]
