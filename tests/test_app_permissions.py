"""The one permission check on the Add articles page, under AppTest with a mocked st.user.

Served on localhost every control shows; served beyond it only a signed-in editor gets them;
NEWSDASH_READONLY hides them whatever the login. Read-only pages say why, and offer
"Sign in" when sign-in is configured.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import test_app_add
from streamlit.testing.v1 import AppTest

import ui.permissions as permissions
from ui import plain

ROOT = Path(__file__).resolve().parents[1]
EDITOR = {"is_logged_in": True, "email": "ed@example.org", "email_verified": True, "name": "Ed"}
WRITE_KEYS = ["add_articles_upload_button", "add_articles_url_button", "add_articles_remove_button"]


store = test_app_add.store  # the two-article store fixture, shared with the Add page's tests


@pytest.fixture(autouse=True)
def no_permission_settings(monkeypatch):
    """No permission variable of the machine running the tests leaks in."""
    for name in ("NEWSDASH_READONLY", "NEWSDASH_EDITORS", "NEWSDASH_REQUIRE_SIGNIN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def public(monkeypatch):
    """The server bound to every interface, sign-in configured, ed@example.org the editor."""
    monkeypatch.setattr(permissions, "served_address", lambda: "0.0.0.0")
    monkeypatch.setattr(permissions, "auth_configured", lambda: True)
    monkeypatch.setenv("NEWSDASH_EDITORS", "ed@example.org, al@example.org")


def run(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    if user is not None:
        at.user = user
    at.run()
    at.switch_page("pages/add_articles.py").run()
    assert not at.exception, at.exception
    return at


def write_controls(at: AppTest) -> list[str]:
    """Keys of the write controls drawn (buttons, uploader, text boxes of the add forms)."""
    keys = [b.key for b in at.button] + [u.key for u in at.file_uploader] + [t.key for t in at.text_area]
    return [k for k in keys if k and k.startswith("add_articles")]


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_shipped_config_binds_localhost_and_hides_traces():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "type"
    assert config["client"]["disableDataExport"] is True  # the table toolbar's raw CSV is off
    assert config["runner"]["postScriptGC"] is False  # a full GC per run was half a page load's server CPU


def test_served_address_is_the_configured_one():
    assert permissions.served_address() == "127.0.0.1"


def test_localhost_shows_every_write_control(store):
    at = run()
    for key in WRITE_KEYS:
        assert at.get_by_key(key) is not None
    assert [t.label for t in at.tabs][:3] == ["Upload files", "Paste text", "From a URL or feed"]
    assert "Sign in" not in labels(at)


def test_public_and_not_signed_in_has_no_write_control(store, public):
    at = run({"is_logged_in": False})
    assert write_controls(at) == []
    assert not at.tabs and not at.file_uploader and not at.main.text_input  # the sidebar filters are not writes
    assert "sign in as an editor" in at.info[0].value
    assert "Sign in" in labels(at)
    assert at.main.header[0].value == "Stored articles (2)"  # reading still works
    assert len(at.dataframe[0].value) == 2


def test_public_signed_in_editor_gets_the_controls(store, public):
    at = run(EDITOR)
    for key in WRITE_KEYS:
        assert at.get_by_key(key) is not None
    assert not at.info


def test_public_signed_in_stranger_is_read_only(store, public):
    at = run({**EDITOR, "email": "eve@example.org"})
    assert write_controls(at) == []
    assert plain.md("eve@example.org") in at.info[0].value and "Sign out" in labels(at)


@pytest.mark.parametrize("public_server", [False, True])
def test_readonly_hides_every_write_control_whatever_the_login(store, monkeypatch, request, public_server):
    if public_server:
        request.getfixturevalue("public")
    monkeypatch.setenv("NEWSDASH_READONLY", "1")
    at = run(EDITOR)
    assert write_controls(at) == []
    assert "NEWSDASH\\_READONLY" in at.info[0].value
    assert "Sign in" not in labels(at) and "Sign out" not in labels(at)


def test_no_sign_in_button_when_sign_in_is_not_configured(store, monkeypatch):
    monkeypatch.setattr(permissions, "served_address", lambda: "0.0.0.0")
    monkeypatch.setattr(permissions, "auth_configured", lambda: False)
    at = run({})
    assert write_controls(at) == [] and "Sign in" not in labels(at)


def test_secrets_sample_is_valid_toml_once_uncommented():
    lines = (ROOT / ".streamlit" / "secrets.toml.example").read_text().splitlines()
    sample = tomllib.loads("\n".join(line[2:] for line in lines if line.startswith("# ") and not line.startswith("# #")
                                     and ("=" in line or line.startswith("# ["))))
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(sample["auth"])
    assert sample["newsdash"]["editors"] and sample["newsdash"]["auth_provider"] in sample["auth"]
