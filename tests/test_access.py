"""core.access: the write permission rule, without Streamlit."""
import pytest

from core.access import is_local_address, parse_editors, write_access

EDITOR = {"is_logged_in": True, "email": "Ed@Example.org", "email_verified": True}


@pytest.mark.parametrize("address, local", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), (None, False), ("", False), ("192.168.1.10", False), ("example.org", False),
])
def test_is_local_address(address, local):
    assert is_local_address(address) is local


def test_parse_editors_accepts_strings_and_lists():
    assert parse_editors(" a@x.org, B@x.org;c@x.org\nd@x.org ") == {"a@x.org", "b@x.org", "c@x.org", "d@x.org"}
    assert parse_editors(["A@x.org", ""]) == {"a@x.org"}
    assert parse_editors(None) == frozenset()


def test_localhost_may_write_without_signing_in():
    access = write_access("127.0.0.1", False, {}, [])
    assert access.allowed and "this machine" in access.reason


@pytest.mark.parametrize("address", ["0.0.0.0", None, "10.0.0.5"])
def test_served_beyond_localhost_needs_a_signed_in_editor(address):
    assert not write_access(address, False, {}, ["ed@example.org"]).allowed
    signed_out = {"is_logged_in": False, "email": "ed@example.org"}
    assert not write_access(address, False, signed_out, ["ed@example.org"]).allowed
    stranger = write_access(address, False, {**EDITOR, "email": "eve@example.org"}, ["ed@example.org"])
    assert not stranger.allowed and "eve@example.org" in stranger.reason and "editors" in stranger.reason
    assert write_access(address, False, EDITOR, "ed@example.org, al@example.org").allowed


def test_unverified_or_missing_email_is_refused():
    assert not write_access("0.0.0.0", False, {**EDITOR, "email_verified": False}, ["ed@example.org"]).allowed
    assert not write_access("0.0.0.0", False, {"is_logged_in": True}, ["ed@example.org"]).allowed


def test_readonly_wins_over_everything():
    for address, user in [("127.0.0.1", {}), ("0.0.0.0", EDITOR)]:
        access = write_access(address, True, user, ["ed@example.org"])
        assert not access.allowed and "NEWSDASH_READONLY" in access.reason


def test_require_signin_closes_localhost_to_anonymous_visitors():
    assert not write_access("127.0.0.1", False, {}, ["ed@example.org"], require_signin=True).allowed
    assert write_access("127.0.0.1", False, EDITOR, ["ed@example.org"], require_signin=True).allowed
