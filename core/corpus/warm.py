"""Imported by the fork server the workers of a LocalCluster are forked from (see
`core.corpus.distributed.start_fork_server`): importing this module loads `distributed` and
everything a task needs (the spaCy model, the gazetteer and its GeoNames table), so every worker
forked afterwards starts with them in memory. Nothing else imports it.
"""
from __future__ import annotations

import contextlib
import gc

import distributed  # noqa: F401 (the worker process's own code, imported once for all workers)

from core.corpus.distributed import warm_up

# A failure (no model installed) is left for the first task to meet and report, as in dask_setup.
with contextlib.suppress(Exception):
    warm_up()
# Everything loaded so far lives as long as the workers: the garbage collector need never walk it
# again (in every worker, touching its pages, which copies them out of the server's memory).
gc.freeze()
