"""The plugin speaks QGIS's interface language when it has a catalogue for it, and stops on unload."""

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale

from mapillary_qgis.plugin import MapillaryPlugin
from mapillary_qgis.qgis_glue.translation import install_translator, remove_translator, user_locale
from scripts.translations import I18N, release

LOCALE_KEY = "locale/userLocale"


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    """The shipped German .ts compiled with lrelease, as `make package` does."""
    folder = tmp_path_factory.mktemp("i18n")
    release(folder, [I18N / "mapillary_qgis_de.ts"])
    return folder


@pytest.fixture
def locale():
    """Set QGIS's interface language for one test."""
    settings = QgsSettings()
    before = settings.value(LOCALE_KEY)
    yield lambda name: settings.setValue(LOCALE_KEY, name)
    if before is None:
        settings.remove(LOCALE_KEY)
    else:
        settings.setValue(LOCALE_KEY, before)


def english(context, text):
    return QCoreApplication.translate(context, text) == text


def test_plugin_texts_in_german_then_english_after_unload(iface, catalogues, locale):
    locale("de_DE")  # no de_DE catalogue: the de one serves
    plugin = MapillaryPlugin(iface, translations=catalogues)
    plugin.initGui()
    try:
        assert plugin.translator is not None
        assert plugin.identify_action.text() == "Mapillary-Abfrage"
        tabs = plugin.dock.tabs
        assert [tabs.tabText(i) for i in range(tabs.count())] == ["Konto", "Layer", "Filter", "Bild"]
        assert plugin.dock.save_button.text() == "Speichern"
        assert plugin.dock.status_label.text().startswith("Kein Token.")
    finally:
        plugin.unload()
    assert plugin.translator is None
    assert english("MapillaryPlugin", "Mapillary identify") and english("MapillaryDock", "Account")


def test_no_catalogue_for_the_language_leaves_english(iface, catalogues, locale):
    locale("fr_FR")
    plugin = MapillaryPlugin(iface, translations=catalogues)
    plugin.initGui()
    try:
        assert plugin.translator is None
        assert plugin.identify_action.text() == "Mapillary identify"
    finally:
        plugin.unload()


def test_user_locale_falls_back_to_the_system_one(locale):
    locale("")
    assert user_locale() == QLocale().name()
    locale("pt_BR")
    assert user_locale() == "pt_BR"


def test_remove_translator_undoes_install(catalogues):
    translator = install_translator(catalogues, "de")
    assert QCoreApplication.translate("ImagePanel", "Camera") == "Kamera"
    remove_translator(translator)
    assert english("ImagePanel", "Camera")
