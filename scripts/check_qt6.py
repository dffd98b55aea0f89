"""Find Qt5-only code that breaks on Qt6 (QGIS 4), by reading the syntax tree.

    python scripts/check_qt6.py [file or folder ...]     (default: the plugin, scripts, tests, bench)

Prints `path:line:col: CODE message` for each finding and exits 1 if there is any.
`make lint` runs it after ruff (ruff already bans PyQt5/PyQt6/sip imports).

QT601  unscoped enum member: `Qt.AlignLeft`, `QVariant.Int`, `Qgis.Warning`. PyQt6 has only
       the scoped form (`Qt.AlignmentFlag.AlignLeft`), which PyQt5 and QGIS 3.22 accept too.
       Found as `Owner.Name` where Owner is a Qt or QGIS class (`Qt`, `Q…`, `Qgs…`, `Qgis`) and
       Name is CamelCase, used as a value: not followed by `.Member` (then Name is the enum
       type) and not called (then Name is a nested class or a conversion). ALL_CAPS names
       are constants (`QgsProcessing.TEMPORARY_OUTPUT`), not enum members.
QT602  `exec_()` / `print_()`: gone in PyQt6; `exec()` / `print()` work in both.
QT603  a class or module Qt6 removed (QRegExp, QDesktopWidget, QtWebKit, QtWebEngine, …).
QT604  QAction, QActionGroup, QShortcut from QtGui: QGIS 3.22 has them only in
       `qgis.PyQt.QtWidgets`, and QGIS's Qt6 shim keeps them importable from there.
QT605  `QFontMetrics.width(text)`: gone in Qt6; use `horizontalAdvance(text)`. Found as any
       `.width(...)` call with arguments (the `width()` of sizes, rects and images takes none).
QT606  mouse and wheel event positions (`event.pos()`, `globalPos()`, `x()`, `delta()`, …)
       on a receiver named like an event: Qt6 renamed them (`position()`); for a
       QgsMapMouseEvent use `mapPoint()`, `originalMapPoint()` or `pixelPoint()`, which work
       on both; for a QMouseEvent, compat's `mouse_position(event)`. Only compat.py's
       Qt 5 branch (the `else` of `if _QT6_POINTER_EVENTS:`) may name them.
QT607  QFlags type names PyQt6 dropped (`Qt.ItemFlags`, `Qt.Alignment`): use the enum
       (`Qt.ItemFlag`).
QT608  `QVariant.Type.*`: QGIS 3.38 moved field types to `QMetaType.Type`, and Qt6 has no
       `QVariant.Type`. Only qgis_glue/compat.py may name it, in the branch for QGIS before
       3.38 (the `else` of `if _QMETATYPE_FIELDS:`); everything else takes compat's INT,
       LONG, TEXT, ... .
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("mapillary_qgis", "scripts", "tests", "bench")
SKIP_DIRS = {".venv", "build", "dist", "__pycache__", ".git", "stand_in"}  # stand_in: tests/qt6, Qt6-only by design

OWNER = re.compile(r"^(Qt|Qgis|Q[A-Z]\w*|Qgs[A-Z]\w*)$")  # not QtCore, QtWidgets: modules
REMOVED = {
    "QRegExp": "use QRegularExpression",
    "QRegExpValidator": "use QRegularExpressionValidator",
    "QDesktopWidget": "use QScreen (QGuiApplication.screens())",
    "QGLWidget": "use QOpenGLWidget",
    "QTextCodec": "use Python's codecs",
    "QStringRef": "use str",
    "QDirModel": "use QFileSystemModel",
    "QMatrix": "use QTransform",
    "QSound": "use QSoundEffect",
    "QtWebKit": "QGIS 4 has no QtWebKit; open pages with QDesktopServices.openUrl or use QTextBrowser",
    "QtWebKitWidgets": "QGIS 4 has no QtWebKit; open pages with QDesktopServices.openUrl or use QTextBrowser",
    "QtWebEngine": "not part of qgis.PyQt; open pages with QDesktopServices.openUrl or use QTextBrowser",
    "QtWebEngineWidgets": "not part of qgis.PyQt; open pages with QDesktopServices.openUrl or use QTextBrowser",
}
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut"}
EVENT_POSITIONS = {"pos", "globalPos", "localPos", "windowPos", "screenPos", "posF", "x", "y", "globalX",
                   "globalY", "delta"}
EVENT_NAME = re.compile(r"^(e|ev|event|\w+_event|\w*Event)$")
COMPAT_FILE = "compat.py"
COMPAT_SWITCH = "_QMETATYPE_FIELDS"  # compat.py: `if _QMETATYPE_FIELDS: <QMetaType> else: <QVariant.Type>`
POINTER_SWITCH = "_QT6_POINTER_EVENTS"  # compat.py: `if _QT6_POINTER_EVENTS: <position()> else: <localPos()>`
FLAG_TYPES = {
    "Alignment": "AlignmentFlag", "ItemFlags": "ItemFlag", "KeyboardModifiers": "KeyboardModifier",
    "MouseButtons": "MouseButton", "WindowFlags": "WindowType", "WindowStates": "WindowState",
    "Orientations": "Orientation", "DockWidgetAreas": "DockWidgetArea", "ToolBarAreas": "ToolBarArea",
    "TextInteractionFlags": "TextInteractionFlag", "DropActions": "DropAction", "MatchFlags": "MatchFlag",
}


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def _last_name(node: ast.AST) -> str | None:
    """`Qt` for `Qt` and for `QtCore.Qt`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _not_values(tree: ast.AST) -> set[int]:
    """Nodes that are not a value of their own: the left of `A.B`, what is called, annotations."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            skip.add(id(node.value))
        elif isinstance(node, ast.Call):
            skip.add(id(node.func))
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            annotations.append(node.returns)
        elif isinstance(node, ast.arg):
            annotations.append(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in filter(None, annotations):
            skip.update(id(child) for child in ast.walk(annotation))
    return skip


def _old_branch(tree: ast.AST, path: str, switch: str) -> set[int]:
    """In compat.py, the nodes of the `else` branches of `if <switch>:`, taken by the old versions only
    (before QGIS 3.38 for `QVariant.Type`, on Qt 5 for event positions)."""
    if Path(path).name != COMPAT_FILE:
        return set()
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == switch:
            allowed.update(id(child) for branch in node.orelse for child in ast.walk(branch))
    return allowed


def _is_qvariant_type(node: ast.Attribute) -> bool:
    """`QVariant.Type.X` (or `QtCore.QVariant.Type.X`)."""
    owner = node.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "Type"
            and _last_name(owner.value) == "QVariant")


def check_source(source: str, path: str = "<source>") -> list[Finding]:
    tree = ast.parse(source, filename=path)
    not_values = _not_values(tree)
    pre_338 = _old_branch(tree, path, COMPAT_SWITCH)
    qt5 = _old_branch(tree, path, POINTER_SWITCH)
    found: list[Finding] = []

    def say(node: ast.AST, code: str, message: str) -> None:
        found.append(Finding(path, node.lineno, node.col_offset + 1, code, message))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for part in module.split("."):
                if part in REMOVED:
                    say(node, "QT603", f"{module}: {REMOVED[part]}")
            for alias in node.names:
                if alias.name in REMOVED:
                    say(node, "QT603", f"{alias.name}: {REMOVED[alias.name]}")
                if alias.name in MOVED_TO_QTGUI and module.endswith("QtGui"):
                    say(node, "QT604", f"import {alias.name} from qgis.PyQt.QtWidgets (QGIS 3.22 has it only there)")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                for part in alias.name.split("."):
                    if part in REMOVED:
                        say(node, "QT603", f"{alias.name}: {REMOVED[part]}")
        elif isinstance(node, ast.Name) and node.id in REMOVED and isinstance(node.ctx, ast.Load):
            say(node, "QT603", f"{node.id}: {REMOVED[node.id]}")
        elif isinstance(node, ast.Attribute):
            if _is_qvariant_type(node) and id(node) not in pre_338:
                say(node, "QT608", f"QVariant.Type.{node.attr} is gone in Qt6 (QGIS >= 3.38 uses QMetaType.Type): "
                                   "use compat's INT, LONG, DOUBLE, TEXT, BOOL or DATETIME")
            _check_attribute(node, id(node) in not_values, say)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _check_call(node, say, id(node) in qt5)
    return sorted(found)


def _check_attribute(node: ast.Attribute, not_a_value: bool, say) -> None:
    owner, name = _last_name(node.value), node.attr
    if name in ("exec_", "print_"):
        say(node, "QT602", f"{name}() is gone in PyQt6: use {name[:-1]}()")
    elif name in REMOVED:
        say(node, "QT603", f"{name}: {REMOVED[name]}")
    elif owner == "QtGui" and name in MOVED_TO_QTGUI:
        say(node, "QT604", f"use QtWidgets.{name} (QGIS 3.22 has it only there)")
    elif owner == "Qt" and name in FLAG_TYPES:
        say(node, "QT607", f"Qt.{name} is gone in PyQt6: use Qt.{FLAG_TYPES[name]}")
    elif (owner and OWNER.match(owner) and name[:1].isupper() and not name.isupper()
          and not not_a_value):
        say(node, "QT601", f"unscoped enum {owner}.{name}: write {owner}.<EnumType>.{name}")


def _check_call(node: ast.Call, say, qt5_branch: bool = False) -> None:
    method, receiver = node.func.attr, _last_name(node.func.value)
    if method == "width" and (node.args or node.keywords):
        say(node, "QT605", "QFontMetrics.width(text) is gone in Qt6: use horizontalAdvance(text)")
    elif method == "desktop" and not node.args:
        say(node, "QT603", "QApplication.desktop() is gone in Qt6: use QGuiApplication.screens()")
    elif method in EVENT_POSITIONS and not node.args and receiver and EVENT_NAME.match(receiver) and not qt5_branch:
        say(node, "QT606", f"{receiver}.{method}() changed in Qt6: use position()/globalPosition()/angleDelta(), "
                           "or mapPoint()/originalMapPoint()/pixelPoint() of a QgsMapMouseEvent")


def python_files(paths) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_file():
            yield path
        elif path.is_dir():
            for file in sorted(path.rglob("*.py")):
                if not SKIP_DIRS & set(file.relative_to(path).parts):
                    yield file


def main(argv: list[str]) -> int:
    paths = argv or [str(REPO / p) for p in DEFAULT_PATHS]
    findings = []
    for file in python_files(paths):
        shown = file.resolve().relative_to(REPO) if file.resolve().is_relative_to(REPO) else file
        findings += check_source(file.read_text(encoding="utf-8"), str(shown))
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} Qt6 problem(s); see scripts/check_qt6.py for each code.", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
