"""Named saved views: a page and its URL parameters, kept in the store folder as views.json.

A view is what a shared link holds (filters and page settings), under a name the team picks,
so "Containers since 2023, by claimant" opens the same way for everyone using the store. The
file is small JSON written through the store's atomic write, never half a file; two sessions
saving at the same instant can lose one of the two saves (the later write wins).
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from core.corpus.store import write_json
from core.errors import NewsdashError

FILE_NAME = "views.json"
MAX_NAME = 80
MAX_VIEWS = 200
MAX_VALUES = 200  # per parameter, as core.query.filters allows
MAX_TEXT = 500  # per value


class ViewError(NewsdashError, ValueError):
    """A saved view cannot be stored or read (bad name, bad parameters, a corrupt file)."""


def views_path(folder) -> Path:
    """Where the views of the store at `folder` are kept."""
    return Path(folder) / FILE_NAME


def clean_name(name: str) -> str:
    """`name` trimmed, inner whitespace collapsed; raises ViewError when empty or longer than MAX_NAME."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ViewError("a saved view needs a name")
    if len(cleaned) > MAX_NAME:
        raise ViewError(f"a view name has at most {MAX_NAME} characters (got {len(cleaned)})")
    return cleaned


def clean_params(params: dict) -> dict[str, list[str]]:
    """URL parameters as {key: [values]} (a value may be a string or a list of strings),
    empty ones dropped; raises ViewError on any other type or on an oversized value."""
    out: dict[str, list[str]] = {}
    for key, value in params.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(key, str) or not isinstance(values, list | tuple):
            raise ViewError(f"parameter {key!r}: expected text or a list of text")
        if len(values) > MAX_VALUES or any(not isinstance(v, str) or len(v) > MAX_TEXT for v in values):
            raise ViewError(f"parameter {key!r}: too many or too long values, or not text")
        if values:
            out[key] = list(values)
    return out


def load_views(folder) -> dict[str, dict]:
    """The saved views of the store at `folder`, by name in save order: {name: {"page", "params",
    "saved_at"}}; {} when none was saved. Raises ViewError naming the file when it is unreadable."""
    path = views_path(folder)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        views = data["views"]
        return {clean_name(n): {"page": str(v["page"]), "params": clean_params(v["params"]),
                                "saved_at": str(v.get("saved_at", ""))} for n, v in views.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ViewError(f"{path}: not a saved-views file ({exc})") from exc


def save_view(folder, name: str, page: str, params: dict, *, now: datetime | None = None) -> dict[str, dict]:
    """Store the view `name` (page path such as "map", "" for the Overview, and its URL
    parameters) in the store at `folder`, replacing a view of that name; returns all views."""
    name = clean_name(name)
    views = load_views(folder)
    if name not in views and len(views) >= MAX_VIEWS:
        raise ViewError(f"at most {MAX_VIEWS} saved views: delete one first")
    views.pop(name, None)  # a replaced view moves to the end, as the newest
    views[name] = {"page": str(page).strip("/"), "params": clean_params(params),
                   "saved_at": (now or datetime.now(UTC)).isoformat(timespec="seconds")}
    write_json(views_path(folder), {"views": views})
    return views


def delete_view(folder, name: str) -> dict[str, dict]:
    """Remove the view `name` from the store at `folder` (nothing when absent); returns the rest."""
    views = load_views(folder)
    if views.pop(" ".join(str(name).split()), None) is not None:
        write_json(views_path(folder), {"views": views})
    return views


def view_url(view: dict) -> str:
    """The relative URL that opens `view` (its page with its parameters)."""
    query = urlencode(view["params"], doseq=True)
    return view["page"] + (f"?{query}" if query else "")
