"""Who may change the corpus from the dashboard: the one rule every write control follows.

Pure (no Streamlit), so the rule is tested on its own; ui/permissions.py feeds it the served
address, the NEWSDASH_READONLY flag, the signed-in user and the editors list.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass(frozen=True)
class Access:
    """Whether writes are allowed, and a sentence saying why (shown to the visitor)."""

    allowed: bool
    reason: str


def is_local_address(address: str | None) -> bool:
    """Whether a server bound to `address` is reachable from this machine only: a loopback
    address or localhost. None or "" (Streamlit's default: every interface) and 0.0.0.0 are not."""
    host = (address or "").strip().strip("[]").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_editors(value: str | Iterable[str] | None) -> frozenset[str]:
    """Editor emails, lower-cased, from a comma/space/semicolon separated string or a list."""
    if value is None:
        return frozenset()
    items = re.split(r"[\s,;]+", value) if isinstance(value, str) else [str(v) for v in value]
    return frozenset(i.strip().lower() for i in items if i and i.strip())


def write_access(address: str | None, readonly: bool, user: Mapping | None, editors: Iterable[str], *,
                 require_signin: bool = False) -> Access:
    """May this visitor add, remove or restore articles (or save corrections and views)?

    `address` is the server's bind address, `readonly` the NEWSDASH_READONLY flag (it wins over
    everything), `user` what st.user holds (is_logged_in, email, email_verified), `editors` the
    allowed emails. Served on localhost only, writes are open (it is the analyst's own machine)
    unless `require_signin` (a reverse proxy on the same machine makes localhost public).
    Otherwise only a signed-in editor whose email the provider did not mark unverified may write.
    """
    if readonly:
        return Access(False, "This dashboard is read-only (NEWSDASH_READONLY is set): articles cannot be added "
                             "or removed here.")
    if is_local_address(address) and not require_signin:
        return Access(True, f"Served on this machine only ({address}): changes are allowed.")
    user = user or {}
    if not user.get("is_logged_in"):
        return Access(False, "This dashboard is served to other machines: sign in as an editor to add or remove "
                             "articles.")
    email = str(user.get("email") or "").strip().lower()
    if not email:
        return Access(False, "Signed in, but the sign-in provider gave no email address to check against the "
                             "editors list.")
    if user.get("email_verified") is False:
        return Access(False, f"Signed in as {email}, but the provider has not verified that address.")
    if email not in parse_editors(editors):
        return Access(False, f"Signed in as {email}, who is not on the editors list: read-only.")
    return Access(True, f"Signed in as editor {email}.")
