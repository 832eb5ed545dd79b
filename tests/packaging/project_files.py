"""The project's files as git knows them, for the checks of what the sdist, wheel and bundle
ship."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def tracked_files() -> list[str]:
    """The files git tracks in this checkout (skips outside a git checkout)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know the project's files")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in out.stdout.decode("utf-8").split("\0")
            if name and (ROOT / name).is_file()]  # deleted but not yet committed: gone
