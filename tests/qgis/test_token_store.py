"""The token in the real QGIS authentication database: save, load, forget, never in clear."""

import hashlib
import json
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsVectorLayer

from mapillary_qgis.client import Client
from mapillary_qgis.core.token import TokenFormatError, TokenState
from mapillary_qgis.qgis_glue.token_store import AUTHCFG_KEY, ENV_TOKEN, TokenStore
from tests.qgis_profile import AUTH_DB_DIR, REPO

from .conftest import MASTER_PASSWORD

TOKEN = "MLY|5675152195860640|6b02c72e6e3c801e5603ab0495623282"
OTHER = "MLY|1111111111111111|ffffffffffffffffffffffffffffffff"


def forms(token):
    """The token as it could appear in a file: raw, URL-encoded, and its secret part alone."""
    return [token.encode(), quote(token, safe="").encode(), token.split("|")[2].encode()]


def assert_absent(token, data: bytes, where: str):
    for form in forms(token):
        assert form not in data, f"token found in {where}"


def settings_dir() -> Path:
    settings = QgsSettings()
    settings.sync()
    return Path(settings.fileName()).parent.parent


@pytest.fixture
def store():
    return TokenStore()


@pytest.fixture
def message_log():
    lines = []

    def keep(message, tag, level):
        lines.append(message)

    QgsApplication.messageLog().messageReceived.connect(keep)
    yield lines
    QgsApplication.messageLog().messageReceived.disconnect(keep)


def test_nothing_stored_means_no_token(store):
    assert store.load() == TokenState.NONE
    assert not store.has_token and Client.get_token() is None


@pytest.mark.parametrize("pasted", [TOKEN, f"  {TOKEN}\n", f'"{TOKEN}"', f"'{TOKEN}' ", f"\u201c{TOKEN}\u201d"])
def test_save_cleans_and_hands_the_token_to_the_client(store, pasted):
    assert store.save(pasted) == TokenState.SAVED
    assert Client.get_token() == TOKEN
    assert QgsSettings().value(AUTHCFG_KEY, "", type=str) in QgsApplication.authManager().configIds()


@pytest.mark.parametrize("pasted", ["", "   ", "hello", "MLY|abc|123", "MLY|123|xyz!", "Bearer MLY|1|ab"])
def test_bad_input_is_refused_and_nothing_is_saved(store, pasted):
    ids_before = QgsApplication.authManager().configIds()
    with pytest.raises(TokenFormatError) as info:
        store.save(pasted)
    assert pasted.strip() == "" or pasted.strip() not in str(info.value)
    assert QgsApplication.authManager().configIds() == ids_before
    assert store.config_id is None and Client.get_token() is None


def test_saving_again_updates_the_same_entry(store):
    store.save(TOKEN)
    first_id = store.config_id
    count = len(QgsApplication.authManager().configIds())
    store.save(OTHER)
    assert store.config_id == first_id
    assert len(QgsApplication.authManager().configIds()) == count
    assert TokenStore().load() == TokenState.SAVED and Client.get_token() == OTHER


def test_settings_hold_only_an_id(store):
    store.save(TOKEN)
    keys = [k for k in QgsSettings().allKeys() if k.startswith("mapillary_qgis")]
    assert keys == [AUTHCFG_KEY]
    assert store.config_id and store.config_id not in TOKEN


def test_forget_leaves_nothing_behind(store):
    store.save(TOKEN)
    config_id = store.config_id
    assert store.forget() == TokenState.NONE
    assert config_id not in QgsApplication.authManager().configIds()
    assert store.config_id is None and not store.has_token and Client.get_token() is None
    assert [k for k in QgsSettings().allKeys() if k.startswith("mapillary_qgis")] == []
    assert TokenStore().load() == TokenState.NONE
    for path in AUTH_DB_DIR.rglob("*"):
        if path.is_file():
            assert_absent(TOKEN, path.read_bytes(), path.name)


def test_environment_token_wins_without_touching_the_database(store, monkeypatch):
    store.save(TOKEN)
    ids = QgsApplication.authManager().configIds()
    monkeypatch.setenv(ENV_TOKEN, f" {OTHER} ")
    assert TokenStore().load() == TokenState.SAVED
    assert Client.get_token() == OTHER
    assert QgsApplication.authManager().configIds() == ids


def test_no_plaintext_anywhere(store, tmp_path, caplog, message_log):
    """Auth database bytes, every settings file, a saved project and the logs."""
    caplog.set_level(logging.DEBUG)
    store.save(TOKEN)
    TokenStore().load()
    store.save(f" {TOKEN} ")

    for path in AUTH_DB_DIR.rglob("*"):
        if path.is_file():
            assert_absent(TOKEN, path.read_bytes(), f"auth database file {path.name}")

    files = [p for p in settings_dir().rglob("*") if p.is_file()]
    assert any(p.name.endswith(".ini") for p in files)
    for path in files:
        assert_absent(TOKEN, path.read_bytes(), f"settings file {path}")

    project = QgsProject()
    project.addMapLayer(QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory"))
    for name in ("project.qgs", "project.qgz"):
        assert project.write(str(tmp_path / name))
    assert_absent(TOKEN, (tmp_path / "project.qgs").read_bytes(), "project.qgs")
    with zipfile.ZipFile(tmp_path / "project.qgz") as archive:
        for member in archive.namelist():
            assert_absent(TOKEN, archive.read(member), f"project.qgz/{member}")

    assert_absent(TOKEN, caplog.text.encode(), "Python logs")
    assert_absent(TOKEN, "\n".join(message_log).encode(), "QGIS message log")


# -- a second QGIS application on the same profile ---------------------------------


def run_child(scenario, master_password=None, env=None):
    command = [sys.executable, "-m", "tests.qgis.child_qgis", str(settings_dir()), scenario]
    if master_password is not None:
        command.append(master_password)
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    environment.pop(ENV_TOKEN, None)
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    for form in forms(TOKEN):
        assert form.decode() not in done.stdout + done.stderr
    return json.loads(lines[-1][len("RESULT "):])


def sha(token):
    return hashlib.sha256(token.encode()).hexdigest()


def test_new_application_locked_database_asks_nothing_at_startup(store):
    """QGIS starts with the master password not yet entered: no prompt, state "locked"."""
    store.save(TOKEN)
    result = run_child("load")
    assert result["state"] == TokenState.LOCKED.value
    assert result["token_sha256"] is None
    assert result["master_requests"] == 0 and result["credential_requests"] == 0
    assert result["master_password_set"] is False


def test_plugin_startup_with_locked_database_offers_unlock_without_prompting(store):
    store.save(TOKEN)
    result = run_child("plugin")
    assert result["state"] == TokenState.LOCKED.value
    assert result["unlock_offered"] is True
    assert result["master_requests"] == 0 and result["credential_requests"] == 0


def test_new_application_loads_the_saved_token_once_unlocked(store):
    """The observation works: unlocking (a user action) is the one prompt, and then the token loads."""
    store.save(TOKEN)
    result = run_child("unlock", MASTER_PASSWORD)
    assert result["master_requests"] == 1
    assert result["state"] == TokenState.SAVED.value
    assert result["token_sha256"] == sha(TOKEN)


def test_wrong_master_password_keeps_it_locked(store):
    store.save(TOKEN)
    result = run_child("unlock", "not-the-password")
    assert result["state"] == TokenState.LOCKED.value and result["token_sha256"] is None
