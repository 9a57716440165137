"""Command line: `python -m core extract INPUT... --out DIR` and the corpus commands.

Each command imports what it needs when it runs, so `list` or `--help` does not load spaCy,
and an `extract` whose tables are all cached does not even import pandas.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from core.corpus.cache import RunCache
from core.corpus.distributed import IN_PROCESS_BELOW, Workers, default_workers, fork_server_ahead

# How long a store write waits for another writer by default (core.corpus.store.LOCK_TIMEOUT,
# which is not imported here: the store module loads pandas and the extraction).
DEFAULT_WAIT = 600.0


def tqdm_progress(desc: str):
    """A (done, total) callback drawing a tqdm bar on stderr, and a function that closes it."""
    from tqdm import tqdm

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


def workers_plan(args):
    """The core.corpus.distributed.Workers plan of --workers / --scheduler (env NEWSDASH_SCHEDULER)."""
    if not hasattr(args, "workers"):  # a command without the options: the store's default
        return None
    return Workers(count=args.workers or default_workers(), scheduler=args.scheduler or None)


def cmd_extract(args) -> int:
    """`extract`: analyse the inputs and write every table as CSV to --out; exit status 1 when
    inputs failed and no article was read, else 0. A run over exactly the inputs of a cached
    run (core.corpus.cache.RunCache) copies that run's tables and report back."""
    runs = RunCache(args.cache)
    # online geocoding answers may change between runs: such a run is never stored
    cacheable = runs.enabled and not args.geocode and not os.environ.get("NEWSDASH_GEOCODER")
    key = runs.key(args.inputs) if cacheable else None
    run = runs.get(key) if key else None
    if run is None:
        run = extract_run(args)
        if key and run.pop("cacheable") and runs.key(args.inputs) == key:  # inputs unchanged meanwhile
            runs.put(key, run)
    else:
        write_files(run["files"], args.out)
    for line in run["refused"]:
        print(f"refused: {line}", file=sys.stderr)
    print(f"extracted {run['counts']}; {len(run['refused'])} refused; tables in {args.out}", file=sys.stderr)
    return run["status"]


def extract_run(args) -> dict:
    """Run `extract` (tables written to --out); returns what RunCache keeps of it: the CSV
    files' bytes, the refusals, the counts line, the exit status, and whether it may be cached
    (not when an article was refused by the analysis, which may be a passing failure)."""
    plan = workers_plan(args)
    # before importing pandas and the extraction: the workers' model loads meanwhile
    with fork_server_ahead(plan, args.inputs):
        from core.corpus.build import RefusedArticle, extract_tables
        from core.corpus.export import write_tables

        update, close = tqdm_progress("extracting")
        try:
            tables, errors = extract_tables(args.inputs, progress=update, cache_dir=args.cache,
                                            geocode=args.geocode or None, workers=plan,
                                            warn=lambda w: print(f"warning: {w}", file=sys.stderr))
        finally:
            close()
    paths = write_tables(tables, args.out)
    names = ("articles", "events", "quantities", "actors", "places", "links")
    return {"files": {p.name: p.read_bytes() for p in paths}, "refused": [str(e) for e in errors],
            "counts": ", ".join(f"{len(tables[t])} {t}" for t in names),
            "status": 1 if errors and tables["articles"].empty else 0,
            "cacheable": not any(isinstance(e, RefusedArticle) for e in errors)}


def write_files(files: dict[str, bytes], out_dir) -> None:
    """Write each of `files` (name -> bytes) into `out_dir`, each atomically (as write_tables)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = out / f"{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(out / name)


def open_cli_store(args):
    """The store named by --store / NEWSDASH_STORE, created (and seeded unless --empty)
    when it does not exist yet, with a progress bar for the seeding."""
    from core.corpus.store import open_store

    update, close = tqdm_progress("seeding")
    try:
        return open_store(args.store, seed=not args.empty, progress=update, lock_timeout=args.wait,
                          workers=workers_plan(args))
    finally:
        close()


def warn_missing_raw(store) -> None:
    """A warning on stderr for each stored article whose raw file is missing."""
    for article_id, reason in store.missing_raw():
        print(f"warning\t{article_id}\t{reason}", file=sys.stderr)


def prepare_queries(store) -> None:
    """Compute what the dashboard keeps for the store's current version (core.query.sql.prepare:
    seconds on a million events), so that its first open of this version does not pay for it,
    and say so on stderr. A store without corpus tables needs nothing; a failure is a warning
    (the dashboard prepares it then)."""
    from core.query import sql

    m = store.manifest()
    folder = store.generation_folder(m, "corpus")
    if not m["generation"] or not folder.is_dir():
        return
    started = time.perf_counter()
    try:
        done = sql.prepare(folder)
    except Exception as exc:  # the store is written: this only saves the dashboard's first open some time
        print(f"warning: could not prepare the dashboard's queries: {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    if done is None:
        print(f"warning: could not prepare the dashboard's queries: {folder.parent} is not writable", file=sys.stderr)
    else:
        print(f"prepared the dashboard's queries for store version {m['generation']}-{m['commit']} "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def one_line(value) -> str:
    """`value` as one line of text ('-' when missing): a title cannot break `list`'s lines."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "-"
    text = " ".join(str(value).split())
    return text or "-"


def print_report(report) -> None:
    """Each added and duplicate input on stdout, each refused one on stderr."""
    for article_id, file, title in report.added:
        print(f"added\t{article_id}\t{one_line(file)}\t{one_line(title)}")
    for file, existing in report.duplicates:
        print(f"duplicate\t{existing}\t{one_line(file)}\talready stored")
    for file, reason in report.refused:
        print(f"refused\t{one_line(file)}\t{one_line(reason)}", file=sys.stderr)


def cmd_seeds_cache(args) -> int:
    """Re-analyse the seed articles and rewrite their shipped result cache entries (seeds/analysis)."""
    from core.corpus.build import write_seed_results
    from core.corpus.cache import SEED_RESULTS

    count = write_seed_results()
    print(f"wrote the analysis of {count} seed articles to {SEED_RESULTS}")
    return 0


def cmd_add(args) -> int:
    """`add`: store and analyse files, folders, URLs and feeds and print the report; exit status 0
    when every input went through, else 1."""
    from core.corpus import inputs

    store = open_cli_store(args)
    articles, refusals = inputs.from_inputs(args.inputs, timeout=args.timeout, max_bytes=store.max_bytes,
                                            allow_private=args.allow_private_urls)
    update, close = tqdm_progress("analysing")
    try:
        report = store.add_articles(articles, refusals, progress=update)
    finally:
        close()
    print_report(report)
    warn_missing_raw(store)
    prepare_queries(store)
    print(f"{report.summary()}; {len(store.ids())} articles in {store.path}")
    return 0 if report.ok else 1


def cmd_list(args) -> int:
    """`list`: print one tab-separated line per stored article (id, published, title, source); 0."""
    store = open_cli_store(args)
    for row in store.list().itertuples(index=False):
        print("\t".join(one_line(v) for v in (row.article_id, row.published, row.title, row.source)))
    return 0


def resolved_ids(wanted, stored) -> tuple[list[str], list[str]]:
    """(ids, unknown): each of `wanted` matched to the stored id it is a unique prefix of
    (at least 4 characters), else listed as unknown."""
    ids, unknown = [], []
    for w in wanted:
        hits = [s for s in stored if len(w) >= 4 and s.startswith(w.lower())]
        (ids.append(hits[0]) if len(hits) == 1 else unknown.append(w))
    return ids, unknown


def cmd_remove(args) -> int:
    """`remove`: delete the stored articles with the given ids (or id prefixes); 0, or 1 when one was unknown."""
    store = open_cli_store(args)
    ids, unknown = resolved_ids(args.ids, store.ids())
    removed = store.remove(ids, user=args.user)
    for article_id in removed:
        print(f"removed\t{article_id}")
    for w in unknown:
        print(f"unknown\t{one_line(w)}\tno stored article has this id", file=sys.stderr)
    warn_missing_raw(store)
    print(f"{len(removed)} removed to the trash (`restore ID` brings one back), {len(unknown)} unknown; "
          f"{len(store.ids())} articles in {store.path}")
    return 1 if unknown else 0


def cmd_trash(args) -> int:
    """`trash`: print one tab-separated line per removed article (id, removed at, by, published, title); 0."""
    store = open_cli_store(args)
    for row in store.trash().itertuples(index=False):
        fields = (row.article_id, row.removed_at, row.removed_by, row.published, row.title)
        print("\t".join(one_line(v) for v in fields))
    return 0


def cmd_restore(args) -> int:
    """`restore`: bring articles back from the trash by id (or prefix); 0, or 1 when one was not restored."""
    store = open_cli_store(args)
    ids, unknown = resolved_ids(args.ids, list(store.trash()["article_id"]))
    restored = store.restore(ids)
    for article_id in restored:
        print(f"restored\t{article_id}")
    for w in unknown + [i for i in ids if i not in restored]:
        print(f"unknown\t{one_line(w)}\tno article in the trash has this id", file=sys.stderr)
    print(f"{len(restored)} restored; {len(store.ids())} articles in {store.path}")
    return 0 if len(restored) == len(args.ids) else 1


def cmd_purge(args) -> int:
    """`purge`: delete articles from the trash for good (the given ids, else all); 0, or 1 when one was unknown."""
    store = open_cli_store(args)
    unknown: list[str] = []
    if args.ids:
        ids, unknown = resolved_ids(args.ids, list(store.trash()["article_id"]))
        purged = store.purge(ids)
    else:
        purged = store.purge()
    for article_id in purged:
        print(f"purged\t{article_id}")
    for w in unknown:
        print(f"unknown\t{one_line(w)}\tno article in the trash has this id", file=sys.stderr)
    print(f"{len(purged)} deleted for good; {len(store.trash())} left in the trash of {store.path}")
    return 1 if unknown else 0


def cmd_rebuild(args) -> int:
    """`rebuild`: re-analyse every stored article with the current pipeline; exit status 1 when one
    kept its old rows (it could not be re-analysed), else 0."""
    store = open_cli_store(args)
    update, close = tqdm_progress("re-processing")
    try:
        report = store.rebuild(progress=update)
    finally:
        close()
    for article_id, reason in report.kept:
        print(f"kept\t{article_id}\t{one_line(reason)}", file=sys.stderr)
    warn_missing_raw(store)
    prepare_queries(store)
    print(f"{report.summary()}; {len(store.ids())} articles in {store.path}")
    return 1 if report.kept else 0


def cmd_export(args) -> int:
    """`export`: write the store's tables as CSV files to --out; 0."""
    store = open_cli_store(args)
    paths = store.export(args.out)
    tables = {p.stem: p for p in paths}
    print(f"exported {len(tables)} tables of {len(store.ids())} articles to {args.out}")
    return 0


REVIEW_COLUMNS = ("correction_id", "state", "at", "user", "table", "action", "anchor", "after", "reason")


def cmd_review(args) -> int:
    """`review list|export|import|revert`: the analysts' corrections log. `list` prints one
    tab-separated line per entry (REVIEW_COLUMNS; `--orphans`: only those that found no row);
    `export FILE` writes it (.jsonl, else CSV); `import FILE` appends the entries of a
    corrections file or snapshot ZIP not yet in the log; `revert ID` undoes one. Exit status
    0; 2 with a message when the file or id is missing or bad (nothing written then)."""
    from core.corpus import review

    store = open_cli_store(args)
    if args.op == "list":
        log = store.corrections()
        orphans = store.orphaned_corrections()
        shown = review.described(log, orphans)
        if args.orphans:
            shown = shown[shown["state"] == review.ORPHANED]
        for row in shown[list(REVIEW_COLUMNS)].itertuples(index=False):
            print("\t".join(one_line(v) for v in row))
        print(f"{len(log)} corrections, {len(orphans)} orphaned; in {store.path}", file=sys.stderr)
        return 0
    if not args.arg:
        print(f"error: review {args.op} needs a {'CORRECTION_ID' if args.op == 'revert' else 'FILE'}",
              file=sys.stderr)
        return 2
    if args.op == "export":
        path = store.export_corrections(args.arg)
        print(f"exported {len(store.corrections())} corrections to {path}")
    elif args.op == "import":
        added, skipped = store.import_corrections(args.arg)
        print(f"imported {added} corrections, {skipped} already there; {len(store.corrections())} in {store.path}")
    else:
        new = store.revert(args.arg, user=args.user, reason=args.reason or "")
        print(f"reverted {args.arg} (entry {new})")
    return 0


def add_worker_options(p: argparse.ArgumentParser) -> None:
    """Add --workers and --scheduler (where the per-article analysis runs) to `p`."""
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes for the analysis (default: one per core; 1 = in this process). "
                        f"Fewer than {IN_PROCESS_BELOW} new articles are analysed in this process all the same")
    p.add_argument("--scheduler", default=os.environ.get("NEWSDASH_SCHEDULER"), metavar="ADDRESS",
                   help="send the analysis to the Dask scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786) "
                        "instead of starting local workers (default: env NEWSDASH_SCHEDULER)")


def add_store_options(p: argparse.ArgumentParser) -> None:
    """Add the --store and --empty options every store command takes to `p`."""
    p.add_argument("--store", default=None,
                   help="store folder (default: env NEWSDASH_STORE, else the user data folder's newsdash/store)")
    p.add_argument("--empty", action="store_true",
                   help="when the store does not exist yet, start it empty instead of with the seed articles")
    p.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="SECONDS",
                   help=f"how long a write waits while another process writes to the store (default {DEFAULT_WAIT:g})")


# One argparse argument: its flags (or positional name) and add_argument's keywords.
Option = tuple[tuple[str, ...], dict[str, Any]]


def add_store_command(sub, name: str, help_text: str, func, *, ids: str | None = None,
                      options: tuple[Option, ...] = (), workers: bool = False) -> None:
    """Add the store command `name` to the subparsers `sub`, in this order: ARTICLE_ID arguments (with
    `ids` as their nargs) when `ids` is given, each (flags, keywords) of `options`, the store options,
    the worker options when `workers`; `func` runs it."""
    p = sub.add_parser(name, help=help_text)
    if ids is not None:
        p.add_argument("ids", nargs=ids, metavar="ARTICLE_ID")
    for flags, keywords in options:
        p.add_argument(*flags, **keywords)
    add_store_options(p)
    if workers:
        add_worker_options(p)
    p.set_defaults(func=func)


OUT_OPTION: Option = (("--out",), {"required": True, "help": "folder for the CSV tables"})


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser: one subcommand per cmd_* function (set as `func`)."""
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="extract the tables of files or folders into CSV files")
    p.add_argument("inputs", nargs="+", help="files (.txt .html .htm .md .jsonl) or folders")
    p.add_argument(*OUT_OPTION[0], **OUT_OPTION[1])
    p.add_argument("--cache", default=None,
                   help="cache folder (default: NEWSDASH_CACHE or ~/.cache/newsdash); 'none' disables")
    p.add_argument("--geocode", action="store_true",
                   help="look up places missing from the offline gazetteer online (Nominatim; needs network)")
    add_worker_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("seeds-cache", help="re-analyse seeds/ and rewrite seeds/analysis, the results a new "
                       "store is seeded from without spaCy (run after changing the extraction)")
    p.set_defaults(func=cmd_seeds_cache)

    add_store_command(sub, "add", "add files, folders, page URLs or RSS/Atom feed URLs to the corpus store", cmd_add,
                      workers=True, options=(
                          (("inputs",), {"nargs": "+", "metavar": "PATH_OR_URL"}),
                          (("--timeout",), {"type": float, "default": 10,
                                            "help": "seconds allowed for each web request (default 10)"}),
                          (("--allow-private-urls",), {
                              "action": "store_true",
                              "help": "also fetch from loopback, private and link-local addresses "
                                      "(your own machine or network); refused by default"}),
                      ))
    add_store_command(sub, "list", "one line per stored article: id, date, title, source (tab-separated)", cmd_list)
    add_store_command(sub, "remove",
                      "move stored articles to the trash by id (or a unique id prefix of 4+ characters)", cmd_remove,
                      ids="+", options=((("--user",), {
                          "default": None,
                          "help": "who removes them, recorded in the trash (default: env NEWSDASH_USER, "
                                  "else the OS user)"}),))
    add_store_command(sub, "trash", "one line per removed article: id, removed at, removed by, date, title",
                      cmd_trash)
    add_store_command(sub, "restore", "bring removed articles back from the trash, as they were", cmd_restore,
                      ids="+")
    add_store_command(sub, "purge", "delete articles in the trash for good (all of them when no id is given)",
                      cmd_purge, ids="*")
    add_store_command(sub, "rebuild", "re-process every stored article with the current pipeline", cmd_rebuild,
                      workers=True)
    add_store_command(sub, "export", "write the store's tables as CSV files (as extract does)", cmd_export,
                      options=(OUT_OPTION,))
    add_store_command(sub, "review", "the analysts' corrections: list them, export or import a file "
                      "of them (a team shares its corrections this way), or revert one", cmd_review, options=(
                          (("op",), {"choices": ("list", "export", "import", "revert")}),
                          (("arg",), {"nargs": "?", "metavar": "FILE_OR_ID",
                                      "help": "export/import: the file (.csv, .jsonl, or a snapshot .zip to "
                                              "import); revert: the correction id"}),
                          (("--orphans",), {"action": "store_true",
                                            "help": "list: only corrections that no longer find their row"}),
                          (("--reason",), {"default": "", "help": "revert: why, recorded in the log"}),
                          (("--user",), {"default": None,
                                         "help": "who makes the change, recorded in the log (default: env "
                                                 "NEWSDASH_USER, else the OS user)"}),
                      ))
    return parser


def main(argv=None) -> int:
    """Run the command in `argv` (default sys.argv); the exit status, 2 with a message on a
    NewsdashError, 130 on Ctrl-C."""
    from core.errors import NewsdashError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NewsdashError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: workers and cluster are already closed on the way out
        print("\ninterrupted", file=sys.stderr)
        return 130
