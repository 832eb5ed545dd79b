"""Windows-safe source, checked here because Windows cannot be run here.

The source (ast) is scanned for what breaks only on Windows:
- ``os.open`` for writing without ``O_BINARY``: Windows opens it in text mode and
  ``os.write`` turns every ``\\n`` byte of a ZIP/XLSX/PDF into ``\\r\\n``;
- bytes written through a text-mode file;
- text files opened, read or written without an explicit encoding (Windows: cp936);
- Unix-only modules (resource, fcntl, termios, pwd, grp, posix ...) imported outside a block
  guarded by a platform check or ``except ImportError``.
The checker is tried on small bad and good snippets first, so it cannot pass by seeing nothing;
then every module is imported for real with the Unix-only modules made unimportable.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database

REPO = Path(__file__).resolve().parents[1]
# The shipped program and the build scripts (the tests run on Linux only).
SCANNED = [REPO / "frontdesk", REPO / "packaging"]

UNIX_ONLY = {"resource", "fcntl", "termios", "tty", "pty", "pwd", "grp", "spwd", "crypt", "nis",
             "syslog", "posix", "curses", "_curses", "readline", "ossaudiodev",
             "_posixsubprocess", "_posixshmem"}
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
MODE = re.compile(r"^[rwxabt+U]{1,4}$")
TEMPFILES = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}
GUARD_WORDS = ("platform", "os.name", "TYPE_CHECKING")


def _tokens(node: ast.AST, assigned: dict[str, list[ast.expr]], depth: int = 0) -> set[str]:
    """Names, attribute names and strings in ``node``, following simple assignments."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            found.add(sub.attr)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.add(sub.value)
        elif isinstance(sub, ast.Name):
            found.add(sub.id)
            if depth < 3:
                for value in assigned.get(sub.id, []):
                    found |= _tokens(value, assigned, depth + 1)
    return found


def _is_bytes(node: ast.expr) -> bool:
    """A bytes literal, ``x.encode(...)`` or ``bytes(...)``/``bytearray(...)``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, bytes)
    if isinstance(node, ast.Call):
        func = node.func
        return ((isinstance(func, ast.Attribute) and func.attr == "encode")
                or (isinstance(func, ast.Name) and func.id in {"bytes", "bytearray"}))
    return False


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _open_mode(call: ast.Call) -> tuple[ast.expr | None, bool] | None:
    """(mode expression or None for the default, default is binary) of a file-opening call;
    None when the call opens no file."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":
        return (call.args[1] if len(call.args) > 1 else _keyword(call, "mode")), False
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value.id if isinstance(func.value, ast.Name) else ""
    if func.attr in TEMPFILES:
        return (call.args[0] if call.args else _keyword(call, "mode")), True
    if func.attr == "fdopen" or (func.attr == "open" and owner in {"io", "codecs"}):
        return (call.args[1] if len(call.args) > 1 else _keyword(call, "mode")), False
    if func.attr == "open" and owner not in {"os", "webbrowser"}:
        # Path.open(mode): told apart from zipfile/QFile/... opens by a mode-like first string
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and MODE.match(
                first.value):
            return first, False
        mode = _keyword(call, "mode")
        if mode is not None or _keyword(call, "encoding") is not None:
            return mode, False
    return None


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside ``try: ... except ImportError`` or an ``if`` on the platform."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Try) and child in parent.body:
            for handler in parent.handlers:
                caught = ast.unparse(handler.type) if handler.type else "BaseException"
                if any(word in caught for word in ("ImportError", "ModuleNotFoundError",
                                                   "Exception")):
                    return True
        if isinstance(parent, ast.If) and any(word in ast.unparse(parent.test)
                                              for word in GUARD_WORDS):
            return True
        child, parent = parent, parents.get(parent)
    return False


def windows_problems(source: str, name: str = "<snippet>") -> list[str]:
    """What in ``source`` would break on Windows, one line per finding."""
    tree = ast.parse(source)
    nodes: list[ast.AST] = [tree]
    parents: dict[ast.AST, ast.AST] = {}
    for parent in nodes:  # one walk, breadth first, noting each node's parent
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
            nodes.append(child)
    assigned: dict[str, list[ast.expr]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    text_handles: set[str] = set()
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"{name}:{getattr(node, 'lineno', '?')}: {what}")

    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if node.level == 0 else [])
            for module in modules:
                if module.split(".")[0] in UNIX_ONLY and not _guarded(node, parents):
                    report(node, f"imports the Unix-only module {module} unguarded")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "open"
                and isinstance(func.value, ast.Name) and func.value.id == "os"):
            flags = node.args[1] if len(node.args) > 1 else _keyword(node, "flags")
            tokens = _tokens(flags, assigned) if flags is not None else set()
            if tokens & WRITE_FLAGS and "O_BINARY" not in tokens:
                report(node, "os.open for writing without O_BINARY (text mode on Windows)")
            continue
        opened = _open_mode(node)
        if opened is not None:
            mode, binary_default = opened
            if mode is not None and not (isinstance(mode, ast.Constant)
                                         and isinstance(mode.value, str)):
                report(node, "a file opened with a mode that is not a literal")
                continue
            binary = binary_default if mode is None else "b" in str(mode.value)  # type: ignore[union-attr]
            if not binary:
                if _keyword(node, "encoding") is None:
                    report(node, "a text file opened without an explicit encoding")
                holder = parents.get(node)
                if isinstance(holder, ast.withitem) and isinstance(holder.optional_vars,
                                                                   ast.Name):
                    text_handles.add(holder.optional_vars.id)
                elif isinstance(holder, ast.Assign) and isinstance(holder.targets[0], ast.Name):
                    text_handles.add(holder.targets[0].id)
            continue
        if isinstance(func, ast.Attribute) and func.attr in {"write_text", "read_text"}:
            positional_encoding = 1 if func.attr == "write_text" else 0
            if _keyword(node, "encoding") is None and len(node.args) <= positional_encoding:
                report(node, f"{func.attr} without an explicit encoding")
            if func.attr == "write_text" and node.args and _is_bytes(node.args[0]):
                report(node, "bytes written with write_text (text mode)")
    for node in nodes:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"write", "writelines"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in text_handles and node.args and _is_bytes(node.args[0])):
            report(node, f"bytes written through the text-mode file {node.func.value.id}")
    return found


def _check(snippet: str) -> list[str]:
    return windows_problems(textwrap.dedent(snippet))


@pytest.mark.parametrize("bad", [
    "import os\nfd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)",
    "import os\nFLAGS = os.O_RDWR | os.O_CREAT\nfd = os.open(p, FLAGS)",
    "import os\nfd = os.open(p, flags=os.O_APPEND)",
    "with open(p, 'w') as fh:\n    fh.write('x')",
    "text = open(p).read()",
    "with path.open('a') as fh:\n    pass",
    "with path.open(mode='w', newline='') as fh:\n    pass",
    "import os\nf = os.fdopen(fd, 'w')",
    "import tempfile\nt = tempfile.NamedTemporaryFile(mode='w')",
    "path.write_text(data)",
    "data = path.read_text()",
    "path.write_text(b'PK\\x03\\x04', encoding='utf-8')",
    "path.write_text(text.encode('utf-8'), encoding='utf-8')",
    "with open(p, 'w', encoding='utf-8') as fh:\n    fh.write(b'%PDF-1.4\\n')",
    "with path.open('w', encoding='utf-8') as out:\n    out.write(data.encode())",
    "f = open(p, mode)",
    "import resource",
    "import fcntl, os",
    "from termios import tcgetattr",
    "import pwd.x",
    "def f():\n    import grp\n    return grp.getgrall()",
    "try:\n    import posix\nexcept ValueError:\n    pass",
])
def test_the_checker_finds_what_breaks_on_windows(bad: str) -> None:
    assert _check(bad), bad


@pytest.mark.parametrize("good", [
    "import os\nfd = os.open(p, os.O_WRONLY | os.O_CREAT | getattr(os, 'O_BINARY', 0))",
    "import os\nBIN = getattr(os, 'O_BINARY', 0)\nfd = os.open(p, os.O_WRONLY | BIN)",
    "import os\nfd = os.open(folder, os.O_RDONLY)",
    "with open(p, 'wb') as fh:\n    fh.write(b'PK')",
    "with open(p, 'w', encoding='utf-8', newline='') as fh:\n    fh.write('x')",
    "with path.open('rb') as fh:\n    fh.read(16)",
    "data = path.read_text(encoding='utf-8')",
    "data = path.read_text('utf-8')",
    "path.write_text(text, 'utf-8')",
    "path.write_bytes(b'PK')",
    "import tempfile\nt = tempfile.NamedTemporaryFile()",
    "with zipfile.ZipFile(p) as z:\n    z.open('manifest.json')",
    "buffer.open(QIODevice.OpenModeFlag.ReadOnly)",
    "import webbrowser\nwebbrowser.open(url)",
    "try:\n    import resource\nexcept ImportError:\n    resource = None",
    "import sys\nif sys.platform != 'win32':\n    import fcntl",
    "import os\nif os.name == 'posix':\n    import termios",
    "def f():\n    if sys.platform == 'win32':\n        return 0\n    else:\n        import pty",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pwd",
    "import posixpath\nimport msvcrt_like",
])
def test_the_checker_lets_windows_safe_code_pass(good: str) -> None:
    assert _check(good) == [], good


def _sources() -> list[Path]:
    return sorted(p for folder in SCANNED for p in folder.rglob("*.py"))


def test_the_program_is_windows_safe() -> None:
    sources = _sources()
    assert len(sources) > 100  # the scan really saw the package
    problems = [line for path in sources
                for line in windows_problems(path.read_text(encoding="utf-8"),
                                             str(path.relative_to(REPO)))]
    assert problems == []


def test_the_package_writer_that_broke_on_windows_is_fixed() -> None:
    """dayclose/package.py wrote day packages with os.open lacking O_BINARY."""
    source = (REPO / "frontdesk" / "dayclose" / "package.py").read_text(encoding="utf-8")
    assert "os.open(" in source and windows_problems(source) == []
    broken = source.replace(' | getattr(os, "O_BINARY", 0)', "")
    assert broken != source and windows_problems(broken)


BLOCK_UNIX_ONLY = """
import importlib, pkgutil, sys
for name in {blocked!r}:
    sys.modules[name] = None  # as on Windows: importing it raises ImportError
import frontdesk
failed = []
count = 0
for info in pkgutil.walk_packages(frontdesk.__path__, "frontdesk."):
    if ".migrations." in info.name or info.name == "frontdesk.__main__":
        continue
    count += 1
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        failed.append(f"{{info.name}}: {{exc!r}}")
print(count)
print("\\n".join(failed))
"""


def test_every_module_imports_without_the_unix_only_modules(tmp_path: Path) -> None:
    """Real imports, the libraries' included: nothing on the way needs them at import time
    (``posix`` itself stays: ``os`` is built on it here)."""
    blocked = sorted(UNIX_ONLY - {"posix", "_posixsubprocess"})
    done = subprocess.run([sys.executable, "-c", BLOCK_UNIX_ONLY.format(blocked=blocked)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                               "PYTHONPATH": str(REPO)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    count, *failed = done.stdout.strip().split("\n")
    assert int(count) > 100
    assert [line for line in failed if line] == []


# -- the console: UTF-8 out, whatever the code page ------------------------------------------

CONSOLES = {
    "cp936 (a Chinese Windows, redirected)": {"PYTHONIOENCODING": "cp936"},
    "C locale, no UTF-8 mode": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0",
                                "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
}


@pytest.mark.parametrize("console", sorted(CONSOLES))
def test_redirected_output_prints_a_rare_name_in_utf8(console: str, centre_db: Database,
                                                      admin: Actor, tmp_path: Path) -> None:
    from frontdesk.residents.service import ResidentForm, create_resident

    db = centre_db
    with db.session() as session:
        create_resident(session, admin, ResidentForm(name="𠮷田花子", phone="13905951234"))
    env = {**os.environ, "PYTHONPATH": str(REPO), **CONSOLES[console]}
    # Found by phone: a C locale decodes a non-ASCII argv lossily (Windows' argv is Unicode).
    found = subprocess.run([sys.executable, "-m", "frontdesk", "--db", db.url,
                            "residents", "find", "13905951234", "--json"],
                           capture_output=True, env=env, timeout=120, cwd=tmp_path)
    assert found.returncode == 0, found.stderr.decode("utf-8", "replace")
    import json

    assert [r["name"] for r in json.loads(found.stdout.decode("utf-8"))] == ["𠮷田花子"]
    plain = subprocess.run([sys.executable, "-m", "frontdesk", "--db", db.url,
                            "residents", "find", "13905951234"],
                           capture_output=True, env=env, timeout=120, cwd=tmp_path)
    assert plain.returncode == 0 and "\t𠮷田花子\t" in plain.stdout.decode("utf-8")
    # a message on stderr naming the missing file
    missing = tmp_path / "no such" / "frontdesk.sqlite3"
    refused = subprocess.run([sys.executable, "-m", "frontdesk", "--db", str(missing),
                              "residents", "find", "王"],
                             capture_output=True, env=env, timeout=120, cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.decode("utf-8").strip() == (
        f"错误：找不到数据库文件：{missing}。要新建数据库请运行 frontdesk init"
        "（或 frontdesk demo）；如果数据库在别处，请用 --db 或 FRONTDESK_DB 指明。")


def test_utf8_output_leaves_streams_it_cannot_or_need_not_change(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from frontdesk.cli import utf8_output

    utf8_output()  # pytest's capture: already UTF-8, untouched and still captured
    print("𠮷")
    assert capsys.readouterr().out == "𠮷\n"
    cp936 = io.TextIOWrapper(io.BytesIO(), encoding="cp936")
    monkeypatch.setattr(sys, "stdout", cp936)
    monkeypatch.setattr(sys, "stderr", None)  # pythonw: no console at all
    utf8_output()
    print("𠮷", end="")
    sys.stdout.flush()
    assert cp936.buffer.getvalue() == "𠮷".encode()  # type: ignore[attr-defined]
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # no reconfigure(): left alone
    utf8_output()
