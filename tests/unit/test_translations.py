"""scripts/translations.py: which texts it extracts, in which context, and how .ts files are kept."""

import textwrap
import xml.etree.ElementTree as ET

from scripts.translations import I18N, Message, extract, extract_source, read_translations, write_ts


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
