"""Server cost per visitor: N headless-Chromium sessions open the Overview and change a filter.

    .venv/bin/python benchmarks/bench_load.py N [--store PATH] [--max-seconds 900]

Starts `streamlit run dashboard.py` on 127.0.0.1 (a free port) on the store at --store (else
$NEWSDASH_STORE, else a new temporary store that the first load seeds from seeds/), loads the
Overview once to seed and warm it, then opens N fresh browser sessions one after the other
(each a new context: no shared cookies, cache or Streamlit session; with --returning, new tabs
of one context instead: new Streamlit sessions whose browser already holds the app's static
files, as for a returning visitor). Each session opens the
Overview, waits until it is drawn, then types a search word in the sidebar and waits for the
narrowed view. Prints, per step, the server process's CPU seconds (utime + stime from
/proc/<pid>/stat) and the wall-clock latency, then the means. Target: at most 0.3 CPU-s per
Overview load at N=10.

Bounded: N is capped at 50, every wait at 120 s and the whole run at --max-seconds. The
browser is Debian's /usr/bin/chromium and every request not for 127.0.0.1 is aborted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The test suite's helpers for a served app (a free localhost port, waiting for its health check).
sys.path[:0] = [str(REPO), str(REPO / "tests")]
from conftest import free_port, stop_server, wait_for_health  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 # Every request not for this machine goes to a closed port and fails at once: offline
                 # without intercepting each request (Playwright's route() adds a round trip to every
                 # request, ~0.4 s to a first render); loopback is never proxied.
                 "--proxy-server=http://127.0.0.1:9"]
MAX_SESSIONS = 50
WAIT_MS = 120_000
SEARCH_WORD = "Kim"
# The app is drawn: no "Running…" widget, no stale or placeholder element, the sidebar's count there.
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]')
    && !!document.querySelector('h1')
    && (document.querySelector('[data-testid="stSidebar"]')?.innerText || '').includes(' events')"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process `pid` has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5), after pid and comm
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of the process `pid` in MB (from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_idle(page) -> None:
    """Wait until the app's run is over; twice, a moment apart, so a rerun is caught."""
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_function(IDLE_JS, timeout=WAIT_MS)


def new_context(browser):
    """A browser context (the browser, launched with CHROMIUM_ARGS, fails every request not for
    this machine)."""
    return browser.new_context(viewport={"width": 1400, "height": 1000})


def session(browser, url: str, pid: int, context=None) -> dict[str, float]:
    """One visitor: open the Overview, then search a word. CPU-s and seconds of each step.
    In a new context unless `context` is given (then a new tab of it)."""
    own = context is None
    context = new_context(browser) if own else context
    page = context.new_page()
    try:
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        page.goto(url + "/", wait_until="domcontentloaded", timeout=WAIT_MS)
        wait_idle(page)
        cpu1, t1 = cpu_seconds(pid), time.perf_counter()
        before = page.locator('[data-testid="stSidebar"]').inner_text()
        search = page.get_by_label("Search sentences")
        search.fill(SEARCH_WORD)
        search.press("Enter")
        page.wait_for_function("(before) => (document.querySelector('[data-testid=\"stSidebar\"]')?.innerText || '')"
                               " !== before", arg=before, timeout=WAIT_MS)
        wait_idle(page)
        cpu2, t2 = cpu_seconds(pid), time.perf_counter()
    finally:
        page.close()
        if own:
            context.close()
    return {"load_cpu": cpu1 - cpu0, "load_s": t1 - t0, "filter_cpu": cpu2 - cpu1, "filter_s": t2 - t1}


def run(n: int, store: Path, max_seconds: float, returning: bool = False) -> list[dict[str, float]]:
    """Serve `store`, warm it with one visit, then measure `n` visits (fewer if time runs out)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NEWSDASH_STORE": str(store), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    deadline = time.monotonic() + max_seconds
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_health(url, proc, timeout=60)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    shared = new_context(browser) if returning else None
                    start = time.perf_counter()
                    warm = session(browser, url, proc.pid, shared)  # seeds the store on first use, fills the caches
                    print(f"warm-up visit (seeding/caching): {time.perf_counter() - start:.1f} s, "
                          f"server {warm['load_cpu'] + warm['filter_cpu']:.2f} CPU-s, "
                          f"{rss_mb(proc.pid):.0f} MB resident")
                    results = []
                    for i in range(n):
                        if time.monotonic() > deadline:
                            print(f"time limit reached after {i} sessions")
                            break
                        r = session(browser, url, proc.pid, shared)
                        results.append(r)
                        print(f"session {i + 1:>3}: overview {r['load_cpu']:.3f} CPU-s in {r['load_s']:.2f} s · "
                              f"filter change {r['filter_cpu']:.3f} CPU-s in {r['filter_s']:.2f} s")
                    print(f"server resident memory after the sessions: {rss_mb(proc.pid):.0f} MB")
                finally:
                    browser.close()
        finally:
            stop_server(proc)
            if proc.returncode not in (0, -15):
                log.seek(0)
                print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
    return results


def summary(results: list[dict[str, float]]) -> str:
    """Means and medians of the measured visits."""
    def mean(key: str) -> float:
        return statistics.fmean(r[key] for r in results)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in results)

    return (f"{len(results)} sessions: server CPU per Overview load {mean('load_cpu'):.3f} s (median "
            f"{median('load_cpu'):.3f}), per filter change {mean('filter_cpu'):.3f} s; latency Overview "
            f"{median('load_s'):.2f} s median / {max(r['load_s'] for r in results):.2f} s max, filter change "
            f"{median('filter_s'):.2f} s median")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help=f"browser sessions to measure (1-{MAX_SESSIONS})")
    parser.add_argument("--store", type=Path, default=None,
                        help="corpus store to serve "
                             "(default: $NEWSDASH_STORE, else a new temporary store seeded from seeds/)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop starting new sessions after this long")
    parser.add_argument("--returning", action="store_true",
                        help="sessions as new tabs of one browser context (static files already cached)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= MAX_SESSIONS:
        parser.error(f"N must be between 1 and {MAX_SESSIONS}")
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium)")
    store = args.store or (Path(os.environ["NEWSDASH_STORE"]) if os.environ.get("NEWSDASH_STORE") else None)
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        results = run(args.n, store or Path(tmp) / "store", args.max_seconds, args.returning)
    if not results:
        print("no session measured")
        return 1
    print(summary(results))
    load = statistics.fmean(r["load_cpu"] for r in results)
    print(f"target ≤ 0.3 CPU-s per Overview load: {'met' if load <= 0.3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
