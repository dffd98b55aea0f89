"""Looking for a token where it must never be: its forms, in bytes, texts, files and folders."""

import base64
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus


def token_forms(token: str) -> dict:
    """{name: bytes} of the ways a token could be written: raw, URL-quoted, base64, and its secret part alone."""
    secret = token.split("|")[-1]
    return {
        "raw": token.encode(),
        "url-quoted": quote(token, safe="").encode(),
        "url-quoted (plus)": quote_plus(token).encode(),
        "base64": base64.b64encode(token.encode()),
        "base64 (URL-safe)": base64.urlsafe_b64encode(token.encode()),
        "secret part": secret.encode(),
        "secret part in base64": base64.b64encode(secret.encode()),
    }


def forms_in(data, token: str) -> list:
    """The names of the token's forms found in `data` (bytes or text)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return [name for name, form in token_forms(token).items() if form in data]


def file_bytes(path: Path) -> bytes:
    """A file's raw bytes, followed by those of its members when it is a zip (a .qgz project)."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(name) for name in archive.namelist())
    return data


def token_hits_under(folder: Path, token: str) -> dict:
    """{file: [forms]} for every file under `folder` (raw bytes, zips opened) holding the token."""
    hits = {}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        found = forms_in(file_bytes(path), token)
        if found:
            hits[str(path)] = found
    return hits


def assert_no_token_under(folder: Path, token: str) -> int:
    """No file under `folder` holds the token in any form; returns how many files were read."""
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    assert files, f"nothing to scan under {folder}"
    assert token_hits_under(folder, token) == {}
    return len(files)
