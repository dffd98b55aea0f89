"""The plugin's translations: a QTranslator for the user's QGIS locale, installed on load, removed on unload.

The compiled catalogues are `i18n/mapillary_qgis_<locale>.qm` in the plugin folder
(`make package` builds them from the `.ts` sources with lrelease).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

CATALOGUE = "mapillary_qgis"


def user_locale() -> str:
    """QGIS's interface language (`de`, `pt_BR`…): the user's choice in QGIS, else the system's."""
    return QgsSettings().value("locale/userLocale", "", type=str) or QLocale().name()


def install_translator(directory: Path, locale: str | None = None) -> QTranslator | None:
    """Install the catalogue for `locale` (`de_DE` falls back to `de`); None when there is none."""
    translator = QTranslator()
    # QTranslator.load tries mapillary_qgis_de_DE.qm, then mapillary_qgis_de.qm, in `directory`.
    if not translator.load(f"{CATALOGUE}_{locale or user_locale()}", str(directory)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
