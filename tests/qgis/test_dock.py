"""Each state of the dock, driven with qtbot against the fake Mapillary."""

import socket

import pytest
from qgis.PyQt.QtCore import Qt

from mapillary_qgis.client import Client
from mapillary_qgis.core.token import TokenState
from mapillary_qgis.gui.dock import MapillaryDock
from mapillary_qgis.qgis_glue.token_store import TokenStore


def dead_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dock(qtbot, fake_env):
    store = TokenStore()
    store.load()
    widget = MapillaryDock(store, make_client=lambda: Client(max_retries=0, timeout=(2, 5)))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.cancel_work()


def state(dock):
    return dock.status_label.property("state")


def save_and_wait(qtbot, dock, text):
    qtbot.keyClicks(dock.token_edit, text)
    qtbot.mouseClick(dock.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock._task is None, timeout=15000)


def test_starts_with_no_token(dock):
    assert state(dock) == "none"
    assert "No token" in dock.status_label.text()
    assert not dock.test_button.isEnabled() and not dock.forget_button.isEnabled()
    assert dock.unlock_button.isHidden()



def test_valid_token(qtbot, dock, fake_env):
    save_and_wait(qtbot, dock, fake_env.token)
    assert state(dock) == "valid"
    assert dock.token_edit.text() == ""  # the field does not keep the secret
    assert dock.forget_button.isEnabled() and dock.test_button.isEnabled()
    me = [r for r in fake_env.requests if r.path.rstrip("/") == "/me"]
    assert len(me) == 1 and me[0].headers["authorization"] == f"OAuth {fake_env.token}"
    assert "access_token" not in me[0].query


def test_user_token_shows_whose_it_is(qtbot, dock, fake_env):
    user_token = "MLY|7777777777777777|0123456789abcdef0123456789abcdef"
    fake_env.add_token(user_token, user={"id": "104214208486349", "username": "vorpalblade"})
    save_and_wait(qtbot, dock, user_token)
    assert state(dock) == "valid"
    assert "vorpalblade" in dock.detail_label.text()


def test_invalid_token_401_code_190(qtbot, dock, fake_env):
    fake_env.inject("invalid_token", host="graph")
    save_and_wait(qtbot, dock, fake_env.token)
    assert state(dock) == "invalid"
    assert "invalid or has expired" in dock.detail_label.text()


def test_rate_limited_403_code_4(qtbot, dock, fake_env):
    fake_env.inject("rate_limit", host="graph")
    save_and_wait(qtbot, dock, fake_env.token)
    assert state(dock) == "rate_limited"
    assert dock.test_button.isEnabled()  # the user can try again


def test_dead_port_is_a_network_error(qtbot, dock, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_GRAPH_URL", f"http://127.0.0.1:{dead_port()}")
    save_and_wait(qtbot, dock, fake_env.token)
    assert state(dock) == "network_error"
    assert "refused" in dock.detail_label.text()


def test_malformed_input_is_explained_and_not_saved(qtbot, dock, fake_env):
    qtbot.keyClicks(dock.token_edit, "my-password-123")
    qtbot.mouseClick(dock.save_button, Qt.MouseButton.LeftButton)
    assert state(dock) == "none"
    assert "not a Mapillary access token" in dock.detail_label.text()
    assert "my-password-123" not in dock.detail_label.text()
    assert fake_env.requests == []


def test_forget(qtbot, dock, fake_env):
    save_and_wait(qtbot, dock, fake_env.token)
    qtbot.mouseClick(dock.forget_button, Qt.MouseButton.LeftButton)
    assert state(dock) == "none" and Client.get_token() is None
    assert not dock.forget_button.isEnabled()


def test_no_request_at_startup_or_while_typing(qtbot, fake_env):
    TokenStore().save(fake_env.token)
    store = TokenStore()
    assert store.load() == TokenState.SAVED
    widget = MapillaryDock(store)
    qtbot.addWidget(widget)
    qtbot.keyClicks(widget.token_edit, fake_env.token)
    qtbot.wait(200)
    assert fake_env.requests == []
    assert state(widget) == "saved"


def test_token_field_is_masked_with_a_show_toggle(dock):
    from qgis.PyQt.QtWidgets import QLineEdit

    assert dock.token_edit.echoMode() == QLineEdit.EchoMode.Password
    toggles = dock.token_edit.actions()
    assert toggles, "the show/hide action of QgsPasswordLineEdit"
    toggles[0].trigger()
    assert dock.token_edit.echoMode() == QLineEdit.EchoMode.Normal
