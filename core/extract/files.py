"""Which files a list of input paths names, without reading them.

Kept apart from `core.extract.ingest` (which imports the cleaning and date modules) so a run
whose tables are all cached can list and fingerprint its inputs without that cost.
"""
from __future__ import annotations

import os
from pathlib import Path

from core.errors import IngestError

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".md", ".jsonl")


def folder_files(folder: Path) -> list[Path]:
    """Supported files under `folder`, recursively, sorted by path; hidden ones skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / f for f in filenames
                  if not f.startswith(".") and Path(f).suffix.lower() in SUPPORTED_SUFFIXES]
    return sorted(found)


def input_files(paths) -> list[Path | IngestError]:
    """The files `paths` name, in order, each once (by real path), with an IngestError in its
    place for a missing path or a folder without articles. Folders are walked recursively in
    sorted order, taking only supported suffixes; a file named explicitly is listed whatever its
    suffix (reading it says whether it is supported). Never raises for bad input."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path | IngestError] = []
    done = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = folder_files(path)
            if not found:
                out.append(IngestError(str(path), f"folder has no {', '.join(SUPPORTED_SUFFIXES)} files"))
        elif path.exists() or path.is_symlink():
            found = [path]
        else:
            out.append(IngestError(str(path), "no such file or folder"))
            continue
        for f in found:
            key = os.path.realpath(f)
            if key not in done:
                done.add(key)
                out.append(f)
    return out
