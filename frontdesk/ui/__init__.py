"""The Qt screens: the only package (with frontdesk.app) that imports PySide6."""

from __future__ import annotations

import sys


def _pin_none() -> None:
    """Work around PySide6 6.12 on Python 3.11: its abi3 wheels return None from void
    methods (``painter.fillRect(...)``, ``widget.update()``) without a new reference, which
    is harmless on 3.12+ where None is immortal, but on 3.11 each call drops one of None's
    references until the interpreter aborts with "deallocating None" (seen after ~1,500
    refreshes of the rooms page, and at exit). Give None references to last, as 3.12 does.
    """
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40  # ob_refcnt is first


_pin_none()
