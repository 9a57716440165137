"""Command line: `python -m core extract INPUT... --out DIR` and the corpus commands."""
from __future__ import annotations

import argparse
import sys

from tqdm import tqdm


def tqdm_progress(desc: str):
    """A (done, total) callback drawing a tqdm bar on stderr, and a function that closes it."""
    bar = None

    def update(done: int, total: int):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit="article", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    def close():
        if bar is not None:
            bar.close()

    return update, close


def cmd_extract(args) -> int:
    from core.export import write_tables
    from core.pipeline import extract_tables

    update, close = tqdm_progress("extracting")
    try:
        tables, errors = extract_tables(args.inputs, progress=update, cache_dir=args.cache)
    finally:
        close()
    for err in errors:
        print(f"refused: {err}", file=sys.stderr)
    write_tables(tables, args.out)
    counts = ", ".join(f"{len(tables[t])} {t}" for t in ("articles", "events", "quantities", "actors", "places", "links"))
    print(f"extracted {counts}; {len(errors)} refused; tables in {args.out}", file=sys.stderr)
    return 1 if errors and tables["articles"].empty else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="extract the tables of files or folders into CSV files")
    p.add_argument("inputs", nargs="+", help="files (.txt .html .htm .md .jsonl) or folders")
    p.add_argument("--out", required=True, help="folder for the CSV tables")
    p.add_argument("--cache", default=None, help="cache folder (default: NEWSDASH_CACHE or ~/.cache/newsdash); 'none' disables")
    p.set_defaults(func=cmd_extract)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
