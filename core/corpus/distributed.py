"""The per-article analysis as Dask tasks: on every core of this machine, or on a cluster.

`analyse_on_dask(articles, plan, progress=)` sends batches of articles to Dask workers (a
`LocalCluster` of `plan.count` worker processes, or the existing scheduler at
`plan.scheduler`); each worker process loads the spaCy model once (`load_nlp` is cached per
process) and parses its batch with `nlp.pipe`. A worker that dies has its tasks retried; a
batch that fails twice is split and its articles retried one by one, so only the article that
crashes a worker (or makes the pipeline raise) twice is refused. Caching and the corpus-level
tables stay with the caller (`core.corpus.build`), in the client process.

`dask.distributed` is imported only when a cluster is used: it costs about a second, and the
in-process path (the dashboard, small batches) never needs it.
"""
from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver

from core.errors import IngestError, NewsdashError
from core.extract.files import input_files
from core.model import Article

# Articles per task at most: enough for the scheduling overhead (pickling, a round trip) to
# vanish (nlp.pipe parses no faster in batches of 16 or 256 than of 4). Tasks shrink towards
# the end (see task_batches), so the workers finish together.
TASK_SIZE = 12
# Starting a LocalCluster (processes that each load spaCy) costs seconds: fewer uncached
# articles than this are analysed in-process even when several workers are asked for.
IN_PROCESS_BELOW = 30
# Test-only: a worker given an article whose text contains this variable's value exits at once,
# as a crash in native code would (tests/test_distributed.py).
CRASH_MARKER_ENV = "NEWSDASH_TEST_CRASH_MARKER"
# For the LocalCluster we start: a task whose worker died twice is given up (KilledWorker) and
# split; one task per worker thread at a time, so a crash only takes down the task that caused it.
# How long to try reaching a --scheduler address before giving up with a clear error.
CONNECT_TIMEOUT = 10
# How long the workers of a LocalCluster we start may take to come up (each imports spaCy and
# loads the model; minutes on a machine that is swapping) before the run fails with a clear error.
STARTUP_TIMEOUT = 300
# Seconds to fetch a finished task's rows. A worker that dies before they are fetched loses them
# and the scheduler recomputes the task, which can wait on a worker forever: past this the task
# is taken as failed and its articles are submitted again.
RESULT_TIMEOUT = 120
# The nanny's default environment for workers also sets MALLOC_TRIM_THRESHOLD_=65536, which
# makes glibc hand memory back after every parse: 16% more CPU (system time) for spaCy. Kept:
# one BLAS/OpenMP thread per single-threaded worker. The worker's sampling profiler (every
# 10 ms) and GIL monitor (every 1 ms) made each task cost a quarter more CPU than in-process.
# The system monitor (every 500 ms) and the nannies' memory check (100 ms) are slowed to 5 s and
# 1 s (an idle 2-worker cluster: 1.3 s of CPU in 20 s). The event-loop health check (20 ms) costs
# most of the rest, but with it slowed (100 ms, 1 s; tasks then sorted longest first) the crash
# test saw an innocent article refused along with the one crashing its worker: left at 20 ms.
WORKER_ENVIRON = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
CLUSTER_CONFIG = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0,
                  "distributed.nanny.pre-spawn-environ": WORKER_ENVIRON,
                  "distributed.worker.profile.enabled": False,
                  "distributed.admin.system-monitor.gil.enabled": False,
                  "distributed.admin.system-monitor.interval": "5s",
                  "distributed.worker.memory.monitor-interval": "1s"}
# The workers of a LocalCluster we start are forked from a fork server that has imported
# `distributed` and loaded the model once (the module WARM_MODULE does it as it is imported):
# each worker then starts in a fraction of a second, and the model is loaded once on the machine
# instead of once per worker (2 s of CPU each). The server is a fresh single-threaded process,
# so forking it is safe, unlike forking the client (its event loop runs in a thread).
WARM_MODULE = "core.corpus.warm"
FORK_CONFIG = {"distributed.worker.multiprocessing-method": "forkserver"}


class ClusterError(NewsdashError):
    """The Dask scheduler could not be reached, or lost the work."""


@dataclass(frozen=True)
class Workers:
    """Where the per-article analysis runs: `count` worker processes of a LocalCluster (1 =
    in-process, no Dask), or the Dask scheduler at `scheduler` (an address such as
    tcp://10.0.0.5:8786; overrides `count`). Without a scheduler, batches of fewer than
    `in_process_below` uncached articles stay in-process. `task_size` articles go in one task."""

    count: int = 1
    scheduler: str | None = None
    in_process_below: int = IN_PROCESS_BELOW
    task_size: int = TASK_SIZE

    def use_dask(self, n_articles: int) -> bool:
        """True when `n_articles` uncached articles go to Dask under this plan."""
        if self.scheduler:
            return n_articles > 0
        return self.count > 1 and n_articles >= max(1, self.in_process_below)

    def use_dask_for(self, inputs) -> bool:
        """`use_dask` for the files and folders `inputs`, before they are read: one article per
        file found (cached or not; a .jsonl file may hold more)."""
        return self.use_dask(sum(1 for e in input_files(list(inputs)) if not isinstance(e, IngestError)))


def default_workers() -> int:
    """The worker count for `--workers` when none is given: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def analyse_batch(articles: list[Article]) -> list[dict]:
    """Runs in a worker: the rows of each of `articles` (in order), parsed in one `nlp.pipe` run
    with the worker's model (loaded on its first task, then cached in the process)."""
    # imported here, in the worker: the client of a cluster never loads spaCy, and the command
    # line reads the Workers plan from this module without paying for it
    from core.extract.nlp import load_nlp
    from core.extract.pipeline import analyse

    marker = os.environ.get(CRASH_MARKER_ENV)
    if marker and any(marker in a.text for a in articles):
        os._exit(70)  # a crash no Python handler sees: the worker process dies
    return [rows for _, rows in analyse(articles, load_nlp())]


def locate_names(names: list[str]) -> dict[str, tuple[float, float] | None]:
    """Runs in a worker: what `core.extract.geo.locate` answers for each of `names` (no known
    coordinates), for `core.corpus.links.build_links` in the client, which then never loads the
    gazetteer's GeoNames table (seconds of CPU, after the workers are done)."""
    from core.extract.geo import locate

    return {name: locate(name) for name in names}


def task_batches(articles: list, size: int, n_workers: int) -> list[list]:
    """`articles` cut into consecutive batches of at most `size`, each at most a 1/(2 n_workers)
    share of the articles left: every worker gets at least two tasks, and the tasks shrink to
    single articles at the end, so no worker is left alone with a long last task while the
    others idle (tasks run in this order)."""
    batches, start = [], 0
    while start < len(articles):
        n = max(1, min(size, math.ceil((len(articles) - start) / max(1, 2 * n_workers))))
        batches.append(articles[start:start + n])
        start += n
    return batches


def refusal_reason(exc: BaseException) -> str:
    """Why an article whose task failed twice is refused."""
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return "analysing it crashed a Dask worker process twice"
    return f"the pipeline failed on it twice: {type(exc).__name__}: {exc}"


def warm_up() -> None:
    """Load what every task needs (the spaCy model, the gazetteer and its GeoNames table) into
    this process, once: they are cached per process."""
    from core.extract.gazetteer import load_gazetteer
    from core.extract.nlp import load_nlp

    load_nlp()
    load_gazetteer().city("Moscow")  # the first city lookup builds the GeoNames table


def dask_setup(worker) -> None:
    """Dask's preload hook: the workers of the LocalCluster `open_client` starts name this module
    as their preload, so each loads the model as it starts, while the client still reads the
    inputs, rather than on its first task. A failure here (no model installed) is left for the
    first task to meet and report: a worker whose start fails would be restarted forever."""
    with contextlib.suppress(Exception):
        warm_up()


_fork_server_users = 0
_fork_server_lock = threading.Lock()


def start_fork_server() -> None:
    """Start the fork server of this process, loading WARM_MODULE, unless one runs already (it
    serves every LocalCluster open in this process; `stop_fork_server` once per call ends it).
    The server starts with WORKER_ENVIRON in its environment: the nanny's pre-spawn environment
    only reaches processes it starts itself."""
    global _fork_server_users
    with _fork_server_lock:
        _fork_server_users += 1
        if _fork_server_users > 1:
            return
        saved = {k: os.environ.get(k) for k in WORKER_ENVIRON}
        os.environ.update(WORKER_ENVIRON)
        try:
            multiprocessing.get_context("forkserver").set_forkserver_preload([WARM_MODULE])
            forkserver.ensure_running()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def stop_fork_server() -> None:
    """End the fork server once the last LocalCluster using it is closed: it holds a loaded
    model, and a process that started a cluster must not be left with a child process."""
    global _fork_server_users
    with _fork_server_lock:
        _fork_server_users -= 1
        if _fork_server_users == 0:
            # multiprocessing has no public way to stop it; _stop is what its own tests use
            forkserver._forkserver._stop()  # type: ignore[attr-defined]


@contextlib.contextmanager
def fork_server_ahead(plan: Workers, inputs):
    """On entering, start the fork server a LocalCluster for the files and folders `inputs`
    under `plan` will fork its workers from (see `start_fork_server`), when there will be one:
    its model loads while the caller imports and reads the inputs. On leaving, end it (once no
    cluster uses it)."""
    ahead = not plan.scheduler and plan.use_dask_for(inputs)
    if ahead:
        start_fork_server()
    try:
        yield
    finally:
        if ahead:
            stop_fork_server()


def open_client(plan: Workers):
    """(client, cluster, config): a Client of the scheduler at `plan.scheduler`, else of a new
    LocalCluster of `plan.count` single-threaded worker processes on 127.0.0.1 (cluster and
    config None when connecting to a scheduler). The caller closes client and cluster, then
    leaves `config` (CLUSTER_CONFIG, in force meanwhile: the workers start after this returns
    and read it then). Raises ClusterError when the scheduler cannot be reached within
    CONNECT_TIMEOUT seconds.

    The LocalCluster's workers are asked for, not waited for: this returns as soon as the
    scheduler runs, and tasks submitted meanwhile start as the workers come up (each loading
    the model first, see `dask_setup`)."""
    import dask
    from distributed import Client, LocalCluster

    if plan.scheduler:
        try:
            return Client(plan.scheduler, timeout=CONNECT_TIMEOUT), None, None
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {plan.scheduler}: {exc}") from exc
    config = dask.config.set({**CLUSTER_CONFIG, **FORK_CONFIG})
    cluster = None
    start_fork_server()
    try:
        # dashboard_address ":0": the scheduler's HTTP server on a free port (None still takes 8787)
        cluster = LocalCluster(n_workers=0, processes=True, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=":0", preload=[__name__])
        cluster.scale(plan.count)
        # by address: Client(cluster) would wait for every worker to be up
        return Client(cluster.scheduler_address, timeout=CONNECT_TIMEOUT), cluster, config
    except BaseException:
        if cluster is not None:
            cluster.close()
        stop_fork_server()
        config.__exit__(None, None, None)
        raise


class Connection:
    """A Dask client opened for `plan` (see `open_client`), opened ahead of its use so that a
    LocalCluster's workers start while the caller does other work; `close()` closes the client
    and any cluster started for it, and is safe to call twice."""

    def __init__(self, plan: Workers):
        self.plan = plan
        self.client, self.cluster, self._config = open_client(plan)

    def n_workers(self) -> int:
        """The worker threads there are (or, on a LocalCluster still starting, will be)."""
        running = sum(self.client.nthreads().values())
        return running if self.cluster is None else max(running, self.plan.count)

    def located(self, names: list[str]) -> dict[str, tuple[float, float] | None] | None:
        """`locate_names(names)` run on a worker (see there), or None when no worker answers
        within CONNECT_TIMEOUT seconds (the caller looks the names up itself then)."""
        if not names:
            return {}
        try:
            return self.client.submit(locate_names, names, pure=False).result(timeout=CONNECT_TIMEOUT)
        except Exception:  # a worker lost meanwhile: the lookup is an optimisation, never an error
            return None

    def close(self) -> None:
        """Close the client and any cluster started for it."""
        client, cluster, config = self.client, self.cluster, self._config
        self.client, self.cluster, self._config = None, None, None
        try:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
        finally:
            if cluster is not None:
                stop_fork_server()
            if config is not None:
                config.__exit__(None, None, None)


def _fetched(future, timeout: float | None = None) -> list | None:
    """The rows of a finished analyse_batch `future`, or None when it failed or they were lost
    (its worker died before they were fetched) or did not come within `timeout` (RESULT_TIMEOUT)."""
    if future.status != "finished":
        return None
    try:
        return future.result(timeout=RESULT_TIMEOUT if timeout is None else timeout)
    except Exception:  # lost with its worker, recomputed in vain or too late: the caller resubmits
        return None


def analyse_on_dask(articles: list[Article], plan: Workers, *, progress: Callable[[int], None] | None = None,
                    connection: Connection | None = None) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """({article_id: rows}, [(article_id, reason)]): the rows of every article of `articles`
    analysed on Dask workers, and the articles refused because their task failed twice (a
    crashed worker or a pipeline error) even when run alone. `progress(n)` is called with the
    number of articles just finished (analysed or refused). Runs on `connection` when given
    (the caller closes it), else on a client opened for `plan` and closed here on return, on
    error and on Ctrl-C. Raises ClusterError when the scheduler cannot be reached or drops
    the work."""
    from distributed import KilledWorker, as_completed, wait

    results: dict[str, dict] = {}
    refused: list[tuple[str, str]] = []
    suspects: list[Article] = []
    own = connection is None
    conn = Connection(plan) if connection is None else connection
    try:
        client = conn.client
        if conn.cluster is not None:  # ours, started without waiting: make sure a worker came up
            try:
                client.wait_for_workers(1, timeout=STARTUP_TIMEOUT)
            except TimeoutError as exc:
                raise ClusterError(f"no Dask worker process started within {STARTUP_TIMEOUT} s") from exc
        submit = lambda batch: client.submit(analyse_batch, batch, retries=1, pure=False)  # noqa: E731
        pending = {}
        # In input order: sorting longest first (shorter last tasks) put the crash test's culprit
        # in a task queued behind another on one worker, and the innocent article died with it.
        for batch in task_batches(articles, plan.task_size, conn.n_workers()):
            pending[submit(batch)] = batch
        finished = as_completed(list(pending))
        for future in finished:
            batch = pending.pop(future)
            rows = _fetched(future)
            if rows is not None:
                for article, article_rows in zip(batch, rows, strict=True):
                    results[article.article_id] = article_rows
            elif len(batch) > 1:  # find the culprit: the others must not be lost with it
                for article in batch:
                    single = submit([article])
                    pending[single] = [article]
                    finished.add(single)
                batch = []
            elif future.status == "cancelled":  # the scheduler forgot it (restarted, or lost)
                raise ClusterError(f"the Dask scheduler dropped the task analysing {batch[0].file}")
            elif future.status == "finished" or isinstance(future.exception(), KilledWorker):
                # Perhaps only queued on the worker another article crashed: tried again alone below
                suspects.append(batch[0])
                batch = []
            else:
                refused.append((batch[0].article_id, refusal_reason(future.exception())))
            future.release()
            if progress and batch:
                progress(len(batch))
        for article in suspects:  # one at a time: nothing else can crash the worker under it
            single = submit([article])
            wait([single])
            rows = _fetched(single)
            if rows is not None:
                results[article.article_id] = rows[0]
            elif single.status == "finished":
                refused.append((article.article_id, "its rows were lost twice with a crashed Dask worker"))
            else:
                refused.append((article.article_id, refusal_reason(single.exception())))
            single.release()
            if progress:
                progress(1)
    finally:
        if own:
            conn.close()
    return results, refused
