"""A second QGIS application, started by tests on the same profile and auth database.

    python -m tests.qgis.child_qgis <settings_dir> <scenario> [master_password]

With MAPILLARY_TEST_PLUGINS_DIR set, the plugin is imported from that
folder (an unpacked release zip) instead of the repository; with
MAPILLARY_TEST_LOCALE set, QGIS's interface language is that one while the
plugin runs.

It installs a QgsCredentials that records every request QGIS makes for the
master password (and answers with the given one, or refuses), runs the
scenario and prints one JSON line: what the token store saw, and how many
times QGIS asked for the master password. The token itself is never
printed, only its SHA-256.
"""

import hashlib
import json
import os
import sys

from qgis.core import QgsApplication, QgsCredentials
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QSettings
from qgis.PyQt.QtWidgets import QPushButton


class RecordingCredentials(QgsCredentials):
    def __init__(self, master_password):
        super().__init__()
        self.master_password = master_password
        self.master_requests = 0
        self.requests = 0
        self.setInstance(self)

    def request(self, realm, username, password, message=""):
        self.requests += 1
        return False, username, password

    def requestMasterPassword(self, password, stored=False):  # noqa: N802
        self.master_requests += 1
        if self.master_password is None:
            return False, password
        return True, self.master_password


def start_app(settings_dir):
    QCoreApplication.setOrganizationName(QgsApplication.QGIS_ORGANIZATION_NAME)
    QCoreApplication.setOrganizationDomain(QgsApplication.QGIS_ORGANIZATION_DOMAIN)
    QCoreApplication.setApplicationName(QgsApplication.QGIS_APPLICATION_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = QgsApplication([], True)
    app.initQgis()
    return app


def main():
    settings_dir, scenario = sys.argv[1], sys.argv[2]
    plugins_dir = os.environ.get("MAPILLARY_TEST_PLUGINS_DIR")
    if plugins_dir:  # load the plugin as installed from the zip, not from the repository
        sys.path.insert(0, plugins_dir)
    master_password = sys.argv[3] if len(sys.argv) > 3 else None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = start_app(settings_dir)
    credentials = RecordingCredentials(master_password)

    from mapillary_qgis.client import Client
    from mapillary_qgis.qgis_glue.token_store import TokenStore

    result = {}
    if scenario == "plugin":
        from qgis.core import QgsSettings
        from qgis.gui import QgsMapCanvas

        import mapillary_qgis
        from tests.qgis.iface import RecordingIface

        locale = os.environ.get("MAPILLARY_TEST_LOCALE")
        if locale:  # the profile is shared with the tests: removed again below
            QgsSettings().setValue("locale/userLocale", locale)
        iface = RecordingIface(QgsMapCanvas())
        plugin = mapillary_qgis.classFactory(iface)
        plugin.initGui()
        store = plugin.token_store
        result["unlock_offered"] = bool(iface.mainWindow().findChildren(QPushButton, "MapillaryUnlockButton"))
        result["plugin_file"] = mapillary_qgis.__file__
        from mapillary_qgis.paths import resource

        result["icon_path"] = str(resource("icons", "mapillary.svg"))
        result["icon_renders"] = not plugin.action.icon().pixmap(32, 32).isNull()
        result["web_menu"] = iface.web_menu_titles()
        result["identify_text"] = plugin.identify_action.text()
    else:
        store = TokenStore()
        store.load()
        if scenario == "unlock":
            store.unlock()
    token = Client.get_token()
    result.update(
        state=store.state.value,
        token_sha256=hashlib.sha256(token.encode()).hexdigest() if token else None,
        master_password_set=QgsApplication.authManager().masterPasswordIsSet(),
        master_requests=credentials.master_requests,
        credential_requests=credentials.requests,
    )
    print("RESULT " + json.dumps(result), flush=True)
    if scenario == "plugin":
        plugin.unload()
        result["identify_text_after_unload"] = QCoreApplication.translate("MapillaryPlugin", "Mapillary identify")
        print("RESULT " + json.dumps(result), flush=True)  # the last RESULT line counts
        QgsSettings().remove("locale/userLocale")
        iface.mainWindow().deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.exitQgis()


if __name__ == "__main__":
    main()
