"""The one permission check every write control passes (add, remove, restore, corrections,
saved views), and the read-only notice with a "Sign in" button.

The rule is core.access.write_access; this module only gathers its inputs: the server's bind
address (server.address), NEWSDASH_READONLY, st.user, and the editors (NEWSDASH_EDITORS, else
`editors` under [newsdash] in .streamlit/secrets.toml). NEWSDASH_REQUIRE_SIGNIN=1 asks for
sign-in even on localhost (for a reverse proxy on the same machine).
"""
from __future__ import annotations

import os

import streamlit as st

from core.access import Access, parse_editors, write_access
from ui import plain

TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUE


def _secrets(section: str) -> dict:
    """A section of .streamlit/secrets.toml as a dict (empty when there is no file or section)."""
    try:
        value = st.secrets.get(section)
    except FileNotFoundError:  # no secrets.toml at all
        return {}
    return dict(value) if value else {}


def served_address() -> str | None:
    """The address the server is bound to (None: every interface)."""
    return st.get_option("server.address")


def editors() -> frozenset[str]:
    """The editors' emails: NEWSDASH_EDITORS when set, else secrets [newsdash] editors."""
    env = os.environ.get("NEWSDASH_EDITORS")
    return parse_editors(env if env is not None else _secrets("newsdash").get("editors"))


def auth_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section, so st.login can work."""
    return bool(_secrets("auth"))


def _user() -> dict:
    try:
        return st.user.to_dict()
    except Exception:  # no session (bare mode): nobody is signed in
        return {}


def can_write() -> Access:
    """Whether this visitor may change the corpus, and why (see core.access.write_access)."""
    return write_access(served_address(), _flag("NEWSDASH_READONLY"), _user(), editors(),
                        require_signin=_flag("NEWSDASH_REQUIRE_SIGNIN"))


def read_only_notice(access: Access) -> None:
    """Say why writes are off; offer "Sign in" (or "Sign out") when sign-in is configured."""
    st.info(plain.md(access.reason), icon=":material/lock:")
    if _flag("NEWSDASH_READONLY") or not auth_configured():
        return
    provider = _secrets("newsdash").get("auth_provider")
    if _user().get("is_logged_in"):
        st.button("Sign out", key="permissions_sign_out", on_click=st.logout)
    else:
        st.button("Sign in", key="permissions_sign_in", type="primary", on_click=st.login,
                  args=(provider,) if provider else ())
