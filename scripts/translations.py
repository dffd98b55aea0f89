"""Extract the plugin's translatable texts into Qt `.ts` files, and compile `.ts` to `.qm`.

    python scripts/translations.py update de [fr …]     writes mapillary_qgis/i18n/mapillary_qgis_<lang>.ts
    python scripts/translations.py release <out dir>    lrelease every .ts into <out dir>/…_<lang>.qm

Why not pylupdate5: it puts `tr("…")` calls of the module-level helpers (processing,
filtering) in the "@default" context, while at run time they translate in their own
context ("MapillaryProcessing", "Filtering"), so those translations would never be
found. This reads the syntax tree and knows the conventions the code keeps:

- `self.tr("text")` in class C: context C, or the context of C's own `tr` helper;
- `tr("text")` in a module that defines `def tr(text): return QCoreApplication.translate("Ctx", text)`,
  or imports that `tr` (`from .common import tr`);
- `QCoreApplication.translate("Ctx", "text")` and `QT_TRANSLATE_NOOP("Ctx", "text")` anywhere.

A `tr()` of a name is fine when the name is given its text with `QT_TRANSLATE_NOOP`
somewhere (`DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Images")`); any other
`tr()` of something that is not a literal is reported (no tool can see its text):
translate where the literal is written instead. Updating keeps every existing translation;
one whose text left the code stays in the file as "vanished" so no work is lost.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "mapillary_qgis"
I18N = PACKAGE / "i18n"
CATALOGUE = "mapillary_qgis"


class Message(NamedTuple):
    context: str
    source: str
    path: str  # relative to the .ts file, as lupdate writes it
    line: int


class Dynamic(NamedTuple):
    """A tr() whose text is not a literal: lupdate-style tools cannot extract it."""

    path: str
    line: int
    code: str
    name: str | None  # `NO_TOKEN` of tr(NO_TOKEN), `HELP` of tr(self.HELP)


def _marked_names(tree: ast.AST) -> set[str]:
    """Names given a text with QT_TRANSLATE_NOOP (`HELP = QT_TRANSLATE_NOOP("Ctx", "…")`)."""
    marked = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "QT_TRANSLATE_NOOP"):
            marked.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return marked


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _tr_helper_context(function: ast.AST) -> str | None:
    """"Ctx" when `function` is `def tr(text): return QCoreApplication.translate("Ctx", text)`."""
    if not isinstance(function, ast.FunctionDef) or function.name != "tr":
        return None
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "translate":
            return _literal(node.args[0]) if node.args else None
    return None


def _helper_context(body: list[ast.stmt]) -> str | None:
    return next(filter(None, map(_tr_helper_context, body)), None)


def _imported_tr(tree: ast.Module, file: Path) -> Path | None:
    """The file whose `tr` this module imports (`from .common import tr`), if any."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "tr" for alias in node.names):
            base = file.parent
            for _ in range(node.level - 1):
                base = base.parent
            if node.level == 0:
                base = REPO
            return base.joinpath(*(node.module or "").split(".")).with_suffix(".py")
    return None


def extract_source(source: str, path: str, module_context: str | None = None) -> tuple[list[Message], list[Dynamic]]:
    """The texts of one module; `module_context` is the context of a `tr` it imports."""
    tree = ast.parse(source, filename=path)
    messages: list[Message] = []
    dynamic: list[Dynamic] = []
    module_context = _helper_context(tree.body) or module_context

    def visit(node: ast.AST, class_context: str | None, in_helper: bool) -> None:
        if isinstance(node, ast.ClassDef):
            class_context = _helper_context(node.body) or node.name
        elif _tr_helper_context(node):
            in_helper = True  # its translate(ctx, text) is the helper itself, not a text
        elif isinstance(node, ast.Call):
            found = _message(node, class_context, module_context)
            if found is not None:
                context, text = found
                if text is not None:
                    messages.append(Message(context, text, path, node.lineno))
                elif not in_helper:
                    argument = node.args[-1] if node.args else None
                    name = getattr(argument, "id", None) or getattr(argument, "attr", None)
                    dynamic.append(Dynamic(path, node.lineno, ast.unparse(node), name))
        for child in ast.iter_child_nodes(node):
            visit(child, class_context, in_helper)

    visit(tree, None, False)
    return messages, dynamic


def _message(call: ast.Call, class_context: str | None, module_context: str | None):
    """(context, literal text or None) when `call` translates something, else None."""
    func, args = call.func, call.args
    if isinstance(func, ast.Attribute) and func.attr == "tr" and args:  # self.tr("…"), cls.tr("…")
        return class_context or module_context or "@default", _literal(args[0])
    if isinstance(func, ast.Name) and func.id == "tr" and args:  # the module's helper
        return module_context or "@default", _literal(args[0])
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 and _literal(args[0]) is not None:
        return _literal(args[0]), _literal(args[1])
    return None


def extract(package: Path = PACKAGE, relative_to: Path = I18N) -> tuple[list[Message], list[Dynamic]]:
    files = [f for f in sorted(package.rglob("*.py")) if "__pycache__" not in f.parts]
    trees = {f: ast.parse(f.read_text(encoding="utf-8"), filename=str(f)) for f in files}
    helpers = {f: _helper_context(tree.body) for f, tree in trees.items()}
    marked = set().union(*map(_marked_names, trees.values()))
    messages, dynamic = [], []
    for file, tree in trees.items():
        shown = Path("..", file.relative_to(relative_to.parent)).as_posix()
        imported = helpers.get(_imported_tr(tree, file))
        found, unknown = extract_source(file.read_text(encoding="utf-8"), shown, imported)
        messages += found
        dynamic += [item for item in unknown if item.name not in marked]
    return messages, dynamic


def read_translations(ts_file: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> its <translation> element, from an existing .ts file."""
    if not ts_file.exists():
        return {}
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None:
                found[(name, message.findtext("source"))] = translation
    return found


def write_ts(ts_file: Path, language: str, messages: list[Message]) -> dict[str, int]:
    """Write the .ts for `messages`, keeping the translations already in it; counts of what it holds."""
    old = read_translations(ts_file)
    by_context: dict[str, dict[str, list[Message]]] = defaultdict(dict)
    for message in messages:
        by_context[message.context].setdefault(message.source, []).append(message)
    for (context, source), translation in old.items():  # keep translators' work whose text left the code
        if source not in by_context.get(context, {}) and (translation.text or "").strip():
            by_context[context].setdefault(source, [])

    root = ET.Element("TS", version="2.1", language=language)
    counts = {"messages": 0, "translated": 0, "vanished": 0}
    for context in sorted(by_context):
        element = ET.SubElement(root, "context")
        ET.SubElement(element, "name").text = context
        for source, places in by_context[context].items():
            message = ET.SubElement(element, "message")
            for place in places:
                ET.SubElement(message, "location", filename=place.path, line=str(place.line))
            ET.SubElement(message, "source").text = source
            translation = ET.SubElement(message, "translation")
            previous = old.get((context, source))
            translation.text = previous.text if previous is not None else None
            kind = previous.get("type") if previous is not None else "unfinished"
            if not places:
                kind = "vanished"
            elif kind in ("vanished", "obsolete"):
                kind = "unfinished"
            if kind:
                translation.set("type", kind)
            counts["messages"] += 1
            counts["translated"] += kind is None and bool(translation.text)
            counts["vanished"] += kind == "vanished"
    ET.indent(root, space="    ")
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    ts_file.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")
    return counts


def ts_files(folder: Path = I18N) -> list[Path]:
    return sorted(folder.glob(f"{CATALOGUE}_*.ts"))


def lrelease() -> str:
    """Qt 5's lrelease (Debian: qttools5-dev-tools); /usr/bin/lrelease needs qtchooser, so look there too."""
    found = shutil.which("lrelease") or shutil.which("lrelease-qt5")
    for candidate in (found, "/usr/lib/qt5/bin/lrelease", "/usr/lib/qt6/bin/lrelease"):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("lrelease not found: install Debian's qttools5-dev-tools (make setup does)")


def release(out_dir: Path, sources: list[Path] | None = None) -> list[Path]:
    """Compile each .ts to `out_dir/<same name>.qm`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for ts_file in ts_files() if sources is None else sources:
        qm_file = out_dir / ts_file.with_suffix(".qm").name
        subprocess.run([lrelease(), "-silent", str(ts_file), "-qm", str(qm_file)], check=True)
        built.append(qm_file)
    return built


def update(languages: list[str]) -> None:
    messages, dynamic = extract()
    for language in languages:
        ts_file = I18N / f"{CATALOGUE}_{language}.ts"
        counts = write_ts(ts_file, language, messages)
        print(f"{ts_file.relative_to(REPO)}: {counts['messages']} texts, {counts['translated']} translated, "
              f"{counts['vanished']} vanished from the code")
    for item in dynamic:
        print(f"{item.path.removeprefix('../')}:{item.line}: not extracted, not a literal: {item.code}",
              file=sys.stderr)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "update" and rest:
        update(rest)
    elif command == "release" and len(rest) == 1:
        for path in release(Path(rest[0])):
            print(path)
    else:
        print(__doc__)
        sys.exit(2)
