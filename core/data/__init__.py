"""The lexicons and gazetteers the extraction reads, and the one loader for them.

Everything here is data (JSON and CSV); code elsewhere asks for a file by name so that no
module builds its own path into this folder or parses the same file twice.
"""
import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).parent


def data_path(name: str) -> Path:
    """The path of the data file `name` in this folder."""
    return DATA_DIR / name


@functools.cache
def load_json(name: str):
    """The parsed JSON file `name` (read once per process; treat the result as read-only)."""
    return json.loads(data_path(name).read_text(encoding="utf-8"))
