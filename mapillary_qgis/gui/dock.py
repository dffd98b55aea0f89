"""The Mapillary dock: the home of the token, and of what later grows in tabs."""

from __future__ import annotations

from typing import Callable

from qgis.gui import QgsDockWidget, QgsPasswordLineEdit
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..client import Client
from ..core.token import TokenCheck, TokenFormatError, TokenState, check_token
from ..qgis_glue.tasks import CallableTask, run_in_background
from ..qgis_glue.token_store import TokenStore, TokenStoreError

OBJECT_NAME = "MapillaryDock"

# The status line's colour. Colours stay readable on light and dark themes.
STATUS_COLOURS = {
    TokenState.VALID: "#1a9e4b",
    TokenState.INVALID: "#d0312d",
    TokenState.RATE_LIMITED: "#d98c00",
    TokenState.NETWORK_ERROR: "#d98c00",
    TokenState.LOCKED: "#d98c00",
}


class MapillaryDock(QgsDockWidget):
    """The dock. `store` holds the token; `make_client` builds a Client for tests of it."""

    def __init__(self, store: TokenStore, make_client: Callable[[], Client] = None, parent=None):
        super().__init__(QCoreApplication.translate("MapillaryDock", "Mapillary"), parent)
        self.setObjectName(OBJECT_NAME)
        self._store = store
        # Test is one quick request: no retries, short timeouts.
        self._make_client = make_client or (lambda: Client(max_retries=0, timeout=(5.0, 10.0)))
        self._task: CallableTask | None = None

        self.tabs = QTabWidget()
        self.tabs.setObjectName("MapillaryTabs")
        self.tabs.addTab(self._account_tab(), self.tr("Account"))
        self.setWidget(self.tabs)

        store.changed.connect(self._show_state)
        self._show_state(store.state)

    def add_tab(self, widget: QWidget, title: str) -> None:
        """Later features live in tabs beside "Account"."""
        self.tabs.addTab(widget, title)

    # -- layout -----------------------------------------------------------------

    def _account_tab(self) -> QWidget:
        tab = QWidget()
        self.token_edit = QgsPasswordLineEdit()
        self.token_edit.setObjectName("MapillaryTokenEdit")
        self.token_edit.setPlaceholderText("MLY|…")
        self.token_edit.setShowLockIcon(False)
        self.token_edit.returnPressed.connect(self.save)

        self.save_button = self._button(self.tr("Save"), "MapillarySaveToken", self.save)
        self.test_button = self._button(self.tr("Test"), "MapillaryTestToken", self.test)
        self.forget_button = self._button(self.tr("Forget"), "MapillaryForgetToken", self.forget)
        self.unlock_button = self._button(self.tr("Unlock token…"), "MapillaryUnlockToken", self.unlock)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.test_button, self.forget_button, self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.status_label = QLabel()
        self.status_label.setObjectName("MapillaryTokenStatus")
        self.status_label.setWordWrap(True)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("MapillaryTokenDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.detail_label.setOpenExternalLinks(True)

        help_label = QLabel(
            self.tr(
                'Get a token: <a href="https://www.mapillary.com/dashboard/developers">'
                "mapillary.com/dashboard/developers</a>, register an app and copy its Client Token. "
                "It is kept encrypted in the QGIS authentication database."
            )
        )
        help_label.setWordWrap(True)
        help_label.setOpenExternalLinks(True)

        form = QFormLayout()
        form.addRow(self.tr("Access token"), self.token_edit)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(help_label)
        layout.addStretch(1)
        return tab

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- state ------------------------------------------------------------------

    def _status_text(self, state: TokenState) -> str:
        return {
            TokenState.NONE: self.tr("No token. Paste your Mapillary access token and press Save."),
            TokenState.SAVED: self.tr("Token saved. Press Test to check it with Mapillary."),
            TokenState.VALID: self.tr("Token valid."),
            TokenState.INVALID: self.tr("Token invalid or expired."),
            TokenState.RATE_LIMITED: self.tr("Mapillary's request limit is reached; try again later."),
            TokenState.NETWORK_ERROR: self.tr("Mapillary could not be reached."),
            TokenState.LOCKED: self.tr("Token locked: the QGIS authentication database is locked."),
        }[state]

    def _show_state(self, state: TokenState, detail: str = "") -> None:
        text, colour = self._status_text(state), STATUS_COLOURS.get(state)
        if state == TokenState.SAVED and self._store.from_environment:
            text = self.tr("Using the token from the MAPILLARY_ACCESS_TOKEN environment variable.")
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        self.status_label.setProperty("state", state.value)
        self.detail_label.setText(detail)
        busy = self._task is not None
        self.unlock_button.setVisible(state == TokenState.LOCKED)
        self.test_button.setEnabled(self._store.has_token and not busy)
        self.forget_button.setEnabled(self._store.config_id is not None and not busy)
        self.save_button.setEnabled(not busy)

    # -- actions ----------------------------------------------------------------

    def save(self) -> None:
        try:
            state = self._store.save(self.token_edit.text())
        except TokenFormatError as exc:
            self.detail_label.setText(str(exc))
            return
        except TokenStoreError as exc:
            self.detail_label.setText(str(exc))
            return
        self.token_edit.clear()
        self._show_state(state, self.tr("Saved in the QGIS authentication database."))
        self.test()

    def forget(self) -> None:
        try:
            state = self._store.forget()
        except TokenStoreError as exc:
            self.detail_label.setText(str(exc))
            return
        self._show_state(state, self.tr("The token was removed."))

    def unlock(self) -> None:
        try:
            state = self._store.unlock()
        except TokenStoreError as exc:
            self.detail_label.setText(str(exc))
            return
        self._show_state(state)

    def test(self) -> None:
        """Check the token with one request, in the background."""
        if not self._store.has_token or self._task is not None:
            return
        client = self._make_client()
        description = self.tr("Testing the Mapillary token")
        self._task = CallableTask(description, lambda task: check_token(client), self._tested)
        self._show_state(self._store.state, self.tr("Testing…"))
        run_in_background(self._task)

    def _tested(self, check: TokenCheck | None, error: Exception | None) -> None:
        self._task = None
        if check is None:  # check_token handles every MapillaryError; this is a bug or a cancel
            check = TokenCheck(TokenState.NETWORK_ERROR, self.tr("The token could not be tested."))
        self._store.report(check.state)
        self._show_state(check.state, check.message)

    def cancel_work(self) -> None:
        """Called on unload: stop background work and never call back into this dock."""
        if self._task is not None:
            self._task.forget()
            self._task = None
