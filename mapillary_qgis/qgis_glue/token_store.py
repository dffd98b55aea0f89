"""The access token, kept encrypted in the QGIS authentication database.

QGIS settings hold only the id of the auth configuration, under the plugin's
one settings group. The token itself is stored as the password of a "Basic"
configuration: that method exists on every QGIS from 3.22 on (3.22 has no
"APIHeader" method, see `compat.has_api_header_auth()`), and we only use the
database as an encrypted vault; no layer is given this configuration.

Reading an auth configuration while the database is locked makes QGIS ask
for the master password. The store never does that on its own: at start-up
and project load it reads the database only when it is already unlocked,
and otherwise reports the token as locked until the user acts (`unlock()`).

`MAPILLARY_ACCESS_TOKEN`, when set, wins and the database is not touched:
that is for headless and batch use.

Whatever the store holds is handed to `Client.set_token()`.
"""

from __future__ import annotations

import logging
import os

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..client import Client
from ..core.token import TokenState, clean_token

LOGGER = logging.getLogger(__name__)

SETTINGS_GROUP = "mapillary_qgis"
AUTHCFG_KEY = f"{SETTINGS_GROUP}/auth_config_id"
ENV_TOKEN = "MAPILLARY_ACCESS_TOKEN"
AUTH_METHOD = "Basic"
AUTH_NAME = "Mapillary access token"
AUTH_USER = "mapillary-access-token"


class TokenStoreError(Exception):
    """The auth database refused an operation; the message is for the user."""


class TokenStore(QObject):
    """Loads, saves and forgets the token; emits `changed(state)` on each change."""

    changed = pyqtSignal(object)  # TokenState

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._token: str | None = None
        self._state = TokenState.NONE

    # -- what it holds ------------------------------------------------------

    @property
    def state(self) -> TokenState:
        return self._state

    @property
    def has_token(self) -> bool:
        return self._token is not None

    @property
    def from_environment(self) -> bool:
        return bool(os.environ.get(ENV_TOKEN, "").strip())

    @property
    def config_id(self) -> str | None:
        value = QgsSettings().value(AUTHCFG_KEY, "", type=str)
        return value or None

    def _set(self, token: str | None, state: TokenState) -> None:
        self._token = token
        self._state = state
        Client.set_token(token)
        self.changed.emit(state)

    # -- start-up: never prompts ----------------------------------------------

    def load(self) -> TokenState:
        """Read the token if that needs no master password; else say it is locked."""
        if self.from_environment:
            self._set(os.environ[ENV_TOKEN].strip(), TokenState.SAVED)
        elif not self.config_id:
            self._set(None, TokenState.NONE)
        elif self._database_locked():
            self._set(None, TokenState.LOCKED)
        else:
            self._set(self._read(), TokenState.SAVED)
        return self._state

    @staticmethod
    def _database_locked() -> bool:
        manager = QgsApplication.authManager()
        return manager.isDisabled() or not manager.masterPasswordIsSet()

    def _read(self) -> str | None:
        """The stored token, with the database unlocked. None when it is gone."""
        manager = QgsApplication.authManager()
        config = QgsAuthMethodConfig()
        config_id = self.config_id
        if config_id not in manager.configIds():
            LOGGER.warning("The saved Mapillary token is no longer in the QGIS authentication database.")
            QgsSettings().remove(AUTHCFG_KEY)
            return None
        manager.loadAuthenticationConfig(config_id, config, True)
        return config.config("password") or None

    # -- user actions: these may prompt for the master password ---------------

    def unlock(self) -> TokenState:
        """Ask for the master password (a user action), then read the token."""
        if self.from_environment or not self.config_id:
            return self.load()
        manager = QgsApplication.authManager()
        if manager.isDisabled():
            raise TokenStoreError(
                "The QGIS authentication system is not available: " + manager.disabledMessage()
            )
        if not manager.setMasterPassword(True):
            self._set(None, TokenState.LOCKED)
            return self._state
        token = self._read()
        self._set(token, TokenState.SAVED if token else TokenState.NONE)
        return self._state

    def save(self, text: str) -> TokenState:
        """Clean and store a token (asks for the master password if needed)."""
        token = clean_token(text)
        manager = QgsApplication.authManager()
        if manager.isDisabled():
            raise TokenStoreError(
                "The QGIS authentication system is not available, so the token cannot be kept safely: "
                + manager.disabledMessage()
            )
        if not manager.setMasterPassword(True):
            raise TokenStoreError(
                "The token was not saved: QGIS needs its master password to keep it encrypted."
            )
        config = QgsAuthMethodConfig(AUTH_METHOD)
        config.setName(AUTH_NAME)
        config.setConfig("username", AUTH_USER)
        config.setConfig("password", token)
        config_id = self.config_id
        if config_id and config_id in manager.configIds():
            config.setId(config_id)
            ok = manager.updateAuthenticationConfig(config)
        else:
            ok = _stored(manager.storeAuthenticationConfig(config))
        if not ok or not config.id():
            raise TokenStoreError("QGIS could not write the token into its authentication database.")
        QgsSettings().setValue(AUTHCFG_KEY, config.id())
        self._set(token, TokenState.SAVED)
        return self._state

    def forget(self) -> TokenState:
        """Remove the token from the database, the settings and memory."""
        config_id = self.config_id
        if config_id:
            manager = QgsApplication.authManager()
            if config_id in manager.configIds() and not manager.removeAuthenticationConfig(config_id):
                raise TokenStoreError("QGIS could not remove the token from its authentication database.")
            QgsSettings().remove(AUTHCFG_KEY)
        self._set(None, TokenState.NONE)
        return self.load() if self.from_environment else self._state

    def report(self, state: TokenState) -> None:
        """Record what a test of the token found (valid, invalid, …)."""
        if self._token is not None:
            self._state = state
            self.changed.emit(state)


def _stored(result) -> bool:
    """`storeAuthenticationConfig` returns a bool, or (bool, config) in some bindings."""
    return bool(result[0] if isinstance(result, tuple) else result)
