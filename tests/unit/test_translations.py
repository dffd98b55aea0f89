"""scripts/translations.py: which texts it extracts, in which context, and how .ts files are kept."""

import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from scripts.translations import I18N, Message, extract, extract_source, read_translations, ts_files, write_ts


def texts(source: str):
    messages, dynamic = extract_source(textwrap.dedent(source), "x.py")
    return [(m.context, m.source) for m in messages], [d.code for d in dynamic]


def test_self_tr_takes_the_class_as_context():
    assert texts('''
        class Dock(QWidget):
            def build(self):
                self.setWindowTitle(self.tr("Account"))
                return [lambda: self.tr("Save")]
    ''') == ([("Dock", "Account"), ("Dock", "Save")], [])


def test_a_class_helper_or_module_helper_names_its_own_context():
    assert texts('''
        def tr(text):
            return QCoreApplication.translate("Processing", text)

        class Plugin:
            @staticmethod
            def tr(text):
                return QCoreApplication.translate("MapillaryPlugin", text)

            def go(self):
                return self.tr("Layers"), tr("Extent")
    ''') == ([("MapillaryPlugin", "Layers"), ("Processing", "Extent")], [])


def test_translate_and_markers_anywhere():
    assert texts('''
        TITLE = QT_TRANSLATE_NOOP("Ctx", "Sequences")
        label = QCoreApplication.translate("Dock", "Mapillary")
        other = "abc".translate(table)
    ''') == ([("Ctx", "Sequences"), ("Dock", "Mapillary")], [])


def test_non_literal_tr_is_reported():
    assert texts('''
        class Panel:
            def hint(self, kind):
                return self.tr(HINTS[kind]) + self.tr(f"{kind}!")
    ''') == ([], ["self.tr(HINTS[kind])", "self.tr(f'{kind}!')"])


def test_imported_helper_and_marked_names(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "common.py").write_text(
        'def tr(text):\n    return QCoreApplication.translate("Proc", text)\n\n'
        'class Base:\n    HELP = ""\n\n    def help(self):\n        return tr(self.HELP)\n')
    (package / "sub" / "algo.py").write_text(
        'from .common import tr\n\nclass Algo(Base):\n    HELP = QT_TRANSLATE_NOOP("Proc", "Helps.")\n\n'
        '    def go(self):\n        return tr("Extent"), tr(UNMARKED)\n')
    messages, dynamic = extract(package, package / "i18n")
    assert sorted((m.context, m.source) for m in messages) == [("Proc", "Extent"), ("Proc", "Helps.")]
    assert [d.code for d in dynamic] == ["tr(UNMARKED)"]
    assert {m.path for m in messages} == {"../sub/algo.py"}


def test_update_keeps_translations_and_keeps_vanished_work(tmp_path):
    ts = tmp_path / "t_de.ts"
    write_ts(ts, "de", [Message("Dock", "Save", "../dock.py", 3), Message("Dock", "Old", "../dock.py", 4)])
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        translation.text = {"Save": "Speichern", "Old": "Alt"}[message.findtext("source")]
        translation.attrib.pop("type")
    tree.write(ts, encoding="utf-8")

    counts = write_ts(ts, "de", [Message("Dock", "Save", "../dock.py", 9), Message("Dock", "New", "../dock.py", 10)])
    found = read_translations(ts)
    assert found[("Dock", "Save")].text == "Speichern" and found[("Dock", "Save")].get("type") is None
    assert found[("Dock", "New")].get("type") == "unfinished"
    assert found[("Dock", "Old")].text == "Alt" and found[("Dock", "Old")].get("type") == "vanished"
    assert counts == {"messages": 3, "translated": 1, "vanished": 1}
    assert ts.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>')


def test_shipped_translations_still_match_texts_in_the_code():
    messages, _ = extract()
    in_code = {(m.context, m.source) for m in messages}
    translated = {key for key, t in read_translations(I18N / "mapillary_qgis_de.ts").items()
                  if t.get("type") is None and t.text}
    assert translated and translated <= in_code


def test_widgets_and_plugin_translate_only_literals():
    _, dynamic = extract()
    assert all(d.path.startswith("../processing/") for d in dynamic), dynamic


# -- placeholders: a translation keeps what the code fills in or Qt reads ------------------------------

QT_ARGUMENT = re.compile(r"%(?:L?[1-9]|n)")  # QString::arg() markers and the numerus count
FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")  # str.format fields; {{ and }} are literal braces
HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);")


def placeholders(text):
    """What of `text` a translation has to keep: each kind of placeholder, in a form that compares as it must."""
    fields = [m.group(0) for m in FORMAT_FIELD.finditer(text) if m.group(1) is not None]
    automatic = [f for f in fields if re.match(r"\{[!:}]", f)]  # {} {!r} {:.1f}: filled in order, so kept in order
    whitespace = re.match(r"\s*", text).group(), text[len(text.rstrip()):]
    return {
        "Qt arguments": Counter(QT_ARGUMENT.findall(text)),
        "format fields in order": automatic,
        "named format fields": set(fields) - set(automatic),
        "HTML tags": Counter((slash, name.lower()) for slash, name in HTML_TAG.findall(text)),
        "& accelerators": ENTITY.sub("", text.replace("&&", "")).count("&"),
        "leading and trailing whitespace": whitespace,
    }


def placeholder_problems(source, translation):
    """The kinds of placeholder `translation` does not keep from `source` (none: it keeps them all)."""
    want, have = placeholders(source), placeholders(translation)
    return [kind for kind in want if want[kind] != have[kind]]


def finished_translations(ts_file):
    """(context, source, translated text) of each finished translation; each plural form on its own."""
    for (context, source), translation in read_translations(ts_file).items():
        if translation.get("type") is not None:  # unfinished, vanished, obsolete
            continue
        forms = translation.findall("numerusform")
        for text in [form.text for form in forms] if forms else [translation.text]:
            if text:
                yield context, source, text


def file_problems(ts_file):
    return [(context, source, text, problems) for context, source, text in finished_translations(ts_file)
            for problems in [placeholder_problems(source, text)] if problems]


@pytest.mark.parametrize("ts_file", ts_files(), ids=lambda path: path.name)
def test_shipped_translations_keep_their_placeholders(ts_file):
    assert list(finished_translations(ts_file)), f"{ts_file.name} translates nothing"
    assert file_problems(ts_file) == []


def test_german_is_shipped_and_complete():
    ts_file = I18N / "mapillary_qgis_de.ts"
    assert ts_file in ts_files()
    unfinished = [source for (_, source), t in read_translations(ts_file).items() if t.get("type") == "unfinished"]
    assert unfinished == []


@pytest.mark.parametrize("source, translation, kind", [
    ("Loading %1 of %2", "%1 werden geladen", "Qt arguments"),
    ("%n tiles", "%1 Kacheln", "Qt arguments"),
    ("{} of {} tiles", "{} Kacheln", "format fields in order"),
    ("{}: {!r} is not a date", "{!r} ist kein Datum: {}", "format fields in order"),
    ("{:.1f} MB on disk", "{} MB auf der Festplatte", "format fields in order"),
    ("Hello {name}", "Hallo {Name}", "named format fields"),
    ("<b>{}</b><br>First seen", "<b>{}<br>Erstmals gesehen", "HTML tags"),
    ('Get <a href="https://x">a token</a>', "Token holen", "HTML tags"),
    ("&Save", "Speichern", "& accelerators"),
    ("&Save", "&Spei&chern", "& accelerators"),
    ("Fish &amp; chips", "Fisch &amp; Pommes &Frites", "& accelerators"),
    (" (filtered)", "(gefiltert)", "leading and trailing whitespace"),
    (" MB", " MB ", "leading and trailing whitespace"),
    ("Line one\n", "Zeile eins", "leading and trailing whitespace"),
])
def test_a_translation_that_loses_a_placeholder_is_caught(source, translation, kind):
    assert placeholder_problems(source, translation) == [kind]


@pytest.mark.parametrize("source, translation", [
    ("Loading %1 of %2", "%2: %1 werden geladen"),  # Qt's markers may move
    ("Hello {name}, {count} new", "{count} neu, hallo {name}"),  # so may named fields
    ("{} of {} tiles", "{} von {} Kacheln"),
    ("Fish &amp; chips && &Save", "Fisch &amp; Pommes && &Speichern"),
    ('<a href="https://x">Link</a><br/>', '<a href="https://x">Verweis</a><br/>'),
    ("Where, as <id>_<size>.jpg", "Wohin, als <id>_<size>.jpg"),
    (" ({:.1f} m away)", " ({:.1f} m entfernt)"),
])
def test_a_translation_that_keeps_its_placeholders_passes(source, translation):
    assert placeholder_problems(source, translation) == []


def test_a_broken_copy_of_the_shipped_catalogue_fails(tmp_path):
    ts_file = tmp_path / "mapillary_qgis_de.ts"
    shutil.copy(I18N / "mapillary_qgis_de.ts", ts_file)
    assert file_problems(ts_file) == []
    text = ts_file.read_text(encoding="utf-8")
    good = "<translation>Die Datei {} konnte nicht geschrieben werden: {}</translation>"
    assert good in text
    ts_file.write_text(text.replace(good, "<translation>Die Datei konnte nicht geschrieben werden: {}</translation>"),
                       encoding="utf-8")
    assert file_problems(ts_file) == [("MapillaryProcessing", "The file {} could not be written: {}",
                                       "Die Datei konnte nicht geschrieben werden: {}", ["format fields in order"])]
