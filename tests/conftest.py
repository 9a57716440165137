"""Shared fixtures: a small hand-built corpus, a fake store serving it to AppTest, the
media-file reader for download buttons, and (for the browser tests) a live `streamlit run`
server and a headless Chromium that cannot reach the network."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from core import schema
from core.corpus.tables import actors_table, places_table

REPO = Path(__file__).resolve().parents[1]
DEV_ARTICLES = REPO / "tests" / "dev" / "articles"


def _extraction(folder: Path) -> tuple[list, dict[str, pd.DataFrame]]:
    """(articles, all eight tables) of the articles in `folder`, analysed without the cache."""
    from core.corpus.build import aggregate, analyse_articles
    from core.extract.ingest import read_paths

    articles, errors = read_paths([folder])
    assert errors == []
    return articles, aggregate(analyse_articles(articles, cache_dir="none"))


@pytest.fixture(scope="session")
def dev_extraction() -> tuple[list, dict[str, pd.DataFrame]]:
    """The 24 dev articles and their tables: parsed once per test session."""
    return _extraction(DEV_ARTICLES)


@pytest.fixture(scope="session")
def seed_extraction() -> tuple[list, dict[str, pd.DataFrame]]:
    """The five seed articles and their tables: parsed once per test session."""
    return _extraction(REPO / "seeds")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

A1, A2, A3, A4 = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2", "c3c3c3c3c3c3c3c3", "d4d4d4d4d4d4d4d4"
TEXT1 = "Kim Jong Un visited Moscow on September 13, 2023. North Korea sent 1,000 containers to Russia in October 2023."
TEXT2 = ("Putin will visit Pyongyang in June 2024, the Kremlin said. "
         "Ukraine says North Korea shipped 7,000 containers. "
         "<b>Read also:</b> Kim's armoured train.")
BOILER2 = TEXT2.index("<b>")
TEXT3 = ("=HYPERLINK(\"x\") Russia struck Kharkiv with about 50 Hwasong-11 missiles, "
         "prosecutors said on January 6, 2024.")
TEXT4 = "Putin visited Pyongyang on June 19, 2024. South Korea says more than 11,000 containers arrived in Russia."



# The files that take longest (servers, browsers, subprocesses, Dask clusters), longest first.
# tests/run.sh spreads whole files over processes (pytest-xdist --dist loadfile, in collection
# order): starting with these keeps one long file from running alone at the end.
SLOW_FIRST = ("test_browser_review.py", "test_browser.py", "test_cli.py", "test_browser_map.py",
              "test_query_sql.py", "test_distributed.py", "test_cache.py", "test_browser_v2.py", "test_store.py")


def pytest_collection_modifyitems(items):
    """Run the files of SLOW_FIRST first, in its order; the rest keep pytest's order."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session", autouse=True)
def private_result_cache(tmp_path_factory):
    """The result cache is on by default: every test run gets its own empty cache folder (also
    for the subprocesses it starts), so no test reads rows another code version left behind."""
    old = os.environ.get("NEWSDASH_CACHE")
    os.environ["NEWSDASH_CACHE"] = str(tmp_path_factory.mktemp("result_cache"))
    yield
    if old is None:
        os.environ.pop("NEWSDASH_CACHE", None)
    else:
        os.environ["NEWSDASH_CACHE"] = old


@pytest.fixture(autouse=True)
def real_main_module():
    """Put back the `__main__` module an AppTest replaces with its page script: a Dask worker
    process started later (spawn) would otherwise run that page as its main module and fail."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def _rows(name: str, rows: list[dict]) -> pd.DataFrame:
    """A schema-valid table from partial rows (missing columns are empty)."""
    cols = schema.columns(name)
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    return schema.validate(name, df)


def _sentence(text: str, i: int) -> tuple[int, int, str]:
    """(start, end, sentence) of the i-th sentence of our hand-made texts (split on '. ')."""
    starts = [0] + [k + 2 for k in range(len(text)) if text.startswith(". ", k)]
    start = starts[i]
    end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
    return start, end, text[start:end]


def _event(eid, story, aid, text, sid, date, prec, type_, status, actors, trigger, **kw):
    s, e, sent = _sentence(text, sid)
    t0 = text.index(trigger, s)
    return dict(event_id=eid, story_id=story, article_id=aid, sentence_id=sid, date=date, date_precision=prec,
                type=type_, status=status, actors=";".join(actors), trigger=trigger, start_char=t0,
                end_char=t0 + len(trigger), sentence_start=s, sentence_end=e, sentence=sent, **kw)


def _quantity(qid, aid, eid, text, sid, value, qualifier, unit, category, claimant, date, prec, words, item=None):
    s, e, sent = _sentence(text, sid)
    q0 = text.index(words)
    return dict(quantity_id=qid, article_id=aid, event_id=eid, sentence_id=sid, value=value, qualifier=qualifier,
                unit=unit, category=category, item=item, claimant=claimant, date=date, date_precision=prec, text=words,
                start_char=q0, end_char=q0 + len(words), sentence_start=s, sentence_end=e, sentence=sent)


def _mention(aid, text, sid, kind, name, surface, **kw):
    start = text.index(surface)
    return dict(article_id=aid, sentence_id=sid, kind=kind, name=name, surface=surface, start_char=start,
                end_char=start + len(surface), in_caption=False, **kw)


ACTORS = {
    "Kim Jong Un": ("person", "PRK", "PRKGOV"), "Vladimir Putin": ("person", "RUS", "RUSGOV"),
    "North Korea": ("state", "PRK", "PRK"), "Russia": ("state", "RUS", "RUS"), "Ukraine": ("state", "UKR", "UKR"),
    "Kremlin": ("organisation", "RUS", "RUSGOV"), "South Korea": ("state", "KOR", "KOR"),
    "Kharkiv Prosecutor's Office": ("organisation", "UKR", "UKRJUD"),
}
PLACES = {"Moscow": ("RUS", 55.75, 37.62), "Pyongyang": ("PRK", 39.03, 125.75), "Kharkiv": ("UKR", 49.99, 36.23)}


def sample_tables() -> dict[str, pd.DataFrame]:
    """Four articles, six events in five stories, four figures: every table, schema-valid.

    Article 2 and 4 report the same story (Putin's visit to Pyongyang: planned, then done);
    article 3's text starts with a spreadsheet formula.
    """
    articles = _rows("articles", [
        dict(article_id=A1, file="one.txt", title="Kim visits Moscow", source="Yonhap", published="2023-10-20",
             published_precision="day", n_words=19, content_hash=A1 * 4, text=TEXT1,
             segments=json.dumps([[0, len(TEXT1), "body", ""]])),
        dict(article_id=A2, file="two.txt", title="Putin to visit Pyongyang", source="Reuters", published="2024-03-01",
             published_precision="day", n_words=19, content_hash=A2 * 4, text=TEXT2,
             segments=json.dumps([[0, BOILER2, "body", ""],
                                  [BOILER2, len(TEXT2), "boilerplate", "teaser 'Read also:'"]])),
        dict(article_id=A3, file="three.txt", title="=cmd|' /C calc'!A0", source="Kyiv Independent",
             published="2024-01-07", published_precision="day", n_words=18, content_hash=A3 * 4, text=TEXT3,
             segments="[]"),
        dict(article_id=A4, file="four.txt", title="Putin in Pyongyang", source="Yonhap", published="2024-06-20",
             published_precision="day", n_words=17, content_hash=A4 * 4, text=TEXT4, segments="[]"),
    ])
    events = _rows("events", [
        _event(f"{A1}-0", "s-moscow", A1, TEXT1, 0, "2023-09-13", "day", "visit", "reported",
               ["Kim Jong Un", "Russia"], "visited", destination="Moscow"),
        _event(f"{A1}-1", "s-cont1", A1, TEXT1, 1, "2023-10-01", "month", "transfer", "reported",
               ["North Korea", "Russia"], "sent", origin="Pyongyang", destination="Moscow"),
        _event(f"{A2}-0", "s-putin", A2, TEXT2, 0, "2024-06-01", "month", "visit", "planned",
               ["Vladimir Putin", "North Korea"], "visit", destination="Pyongyang"),
        _event(f"{A2}-1", "s-cont2", A2, TEXT2, 1, None, None, "transfer", "alleged",
               ["North Korea", "Russia", "Ukraine"], "shipped", origin="Pyongyang", destination="Moscow"),
        _event(f"{A3}-0", "s-strike", A3, TEXT3, 0, "2024-01-06", "day", "strike", "reported",
               ["Russia", "Ukraine"], "struck", location="Kharkiv", origin="Moscow", destination="Kharkiv"),
        _event(f"{A4}-0", "s-putin", A4, TEXT4, 0, "2024-06-19", "day", "visit", "reported",
               ["Vladimir Putin", "North Korea"], "visited", destination="Pyongyang"),
    ])
    roles = {"visit": ("source", "target"), "transfer": ("source", "target"), "strike": ("source", "target")}
    event_actors = _rows("event_actors", [
        dict(event_id=e, actor=a, role=(roles[t][0] if i == 0 else roles[t][1] if i == 1 else "participant"))
        for e, t, acts in zip(events["event_id"], events["type"], events["actors"], strict=True)
        for i, a in enumerate(acts.split(";"))
    ])
    quantities = _rows("quantities", [
        _quantity(f"{A1}-q0", A1, f"{A1}-1", TEXT1, 1, 1000.0, "exact", "container", "container", None,
                  "2023-10-01", "month", "1,000 containers"),
        _quantity(f"{A2}-q0", A2, f"{A2}-1", TEXT2, 1, 7000.0, "exact", "container", "container", "Ukraine",
                  None, None, "7,000 containers"),
        _quantity(f"{A3}-q0", A3, f"{A3}-0", TEXT3, 0, 50.0, "about", "missile", "missile",
                  "Kharkiv Prosecutor's Office", "2024-01-06", "day", "about 50 Hwasong-11 missiles",
                  item="Hwasong-11"),
        _quantity(f"{A4}-q0", A4, None, TEXT4, 1, 11000.0, "more_than", "container", "container", "South Korea",
                  "2024-06-20", "day", "more than 11,000 containers"),
    ])
    mention_rows = [
        _mention(A1, TEXT1, 0, "actor", "Kim Jong Un", "Kim Jong Un"),
        _mention(A1, TEXT1, 0, "place", "Moscow", "Moscow"),
        _mention(A1, TEXT1, 1, "actor", "North Korea", "North Korea"),
        _mention(A1, TEXT1, 1, "actor", "Russia", "Russia"),
        _mention(A2, TEXT2, 0, "actor", "Vladimir Putin", "Putin"),
        _mention(A2, TEXT2, 0, "place", "Pyongyang", "Pyongyang"),
        _mention(A2, TEXT2, 0, "actor", "Kremlin", "Kremlin"), _mention(A2, TEXT2, 1, "actor", "Ukraine", "Ukraine"),
        _mention(A2, TEXT2, 1, "actor", "North Korea", "North Korea"),
        _mention(A3, TEXT3, 0, "actor", "Russia", "Russia"), _mention(A3, TEXT3, 0, "place", "Kharkiv", "Kharkiv"),
        _mention(A4, TEXT4, 0, "actor", "Vladimir Putin", "Putin"),
        _mention(A4, TEXT4, 0, "place", "Pyongyang", "Pyongyang"),
        _mention(A4, TEXT4, 1, "actor", "South Korea", "South Korea"),
        _mention(A4, TEXT4, 1, "actor", "Russia", "Russia"),
    ]
    for m in mention_rows:
        if m["kind"] == "actor":
            m.update(zip(("type", "country", "code"), ACTORS[m["name"]], strict=True))
        else:
            m.update(zip(("country", "lat", "lon"), PLACES[m["name"]], strict=True))
    mentions = _rows("mentions", mention_rows)
    by_mentions = dict(by=["n_mentions", "name"], ascending=[False, True], ignore_index=True)
    actors = schema.validate("actors", actors_table(mentions, articles).sort_values(**by_mentions))
    places = schema.validate("places", places_table(mentions).sort_values(**by_mentions))
    links = _rows("links", [
        dict(origin="Pyongyang", destination="Moscow", type="transfer", n_events=2, n_articles=2,
             first_date="2023-10-01",
             last_date="2023-10-01", origin_lat=39.03, origin_lon=125.75, destination_lat=55.75, destination_lon=37.62,
             distance_km=6420.0, event_ids=f"{A1}-1;{A2}-1"),
        dict(origin="Moscow", destination="Kharkiv", type="strike", n_events=1, n_articles=1, first_date="2024-01-06",
             last_date="2024-01-06", origin_lat=55.75, origin_lon=37.62, destination_lat=49.99, destination_lon=36.23,
             distance_km=645.0, event_ids=f"{A3}-0"),
    ])
    return {"articles": articles, "mentions": mentions, "events": events, "event_actors": event_actors,
            "quantities": quantities, "actors": actors, "places": places, "links": links}


class FakeStore:
    """What ui.data needs of core.corpus.store.Store: a path, a version, the tables."""

    def __init__(self, tables: dict[str, pd.DataFrame], path: str = "memory://sample", version: str = "1"):
        self._tables, self.path, self._version = tables, path, version

    def version(self) -> str:
        return self._version

    def tables(self) -> dict[str, pd.DataFrame]:
        return {k: v.copy() for k, v in self._tables.items()}

    def stale(self) -> bool:
        return False

    def corrections(self) -> pd.DataFrame:
        """An empty corrections log: the sample corpus is as extracted."""
        return schema.empty("corrections")


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    return sample_tables()


@pytest.fixture
def sample_store(monkeypatch, tables):
    """The dashboard served from sample_tables() through a FakeStore; caches cleared."""
    import streamlit as st

    import ui.data

    store = FakeStore(tables)
    monkeypatch.setattr(ui.data, "corpus_store", lambda: store)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()


class MediaFiles:
    """Records every media file storage AppTest creates, to read download bytes back."""

    def __init__(self):
        self.storages = []

    def read(self, button) -> tuple[str, bytes]:
        """(file name, bytes) a download button serves."""
        file_name = button.proto.url.rsplit("/", 1)[-1]
        for storage in reversed(self.storages):
            try:
                f = storage.get_file(file_name)
            except Exception:  # not in this run's storage
                continue
            return f.filename, f.content
        raise KeyError(f"no media file {file_name}")


@pytest.fixture
def media_files(monkeypatch) -> MediaFiles:
    """AppTest's in-memory media storage, recorded so tests can read download bytes."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    media = MediaFiles()

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            media.storages.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    return media


def app(query: dict | None = None, timeout: float = 30):
    """An AppTest of dashboard.py with `query` as its URL parameters (not yet run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout)
    if query:
        at.query_params.update(query)
    return at


def run_page(page: str | None = None, query: dict | None = None):
    """dashboard.py run with `query` as its URL: the Overview, or `page` when given (AppTest
    can only switch pages after a first run, so the URL is given again for the page)."""
    at = app(query).run()
    if page:
        at.query_params.update(query or {})
        at.switch_page(page).run()
    return at


def events_line(at) -> str:
    """The sidebar's "n of N events" line."""
    return next(m.value for m in at.sidebar.markdown if "events**" in m.value)


def drawn_charts(at) -> dict[str, tuple[dict, dict]]:
    """Each plotly chart the run drew, by widget key: (figure spec, config), JSON-decoded. Charts
    are ui.chart's element (a v2 component whose data holds the figure), or st.plotly_chart for
    a figure no partial bundle draws."""
    charts = {el.key: (json.loads(el.proto.spec), json.loads(el.proto.config)) for el in at.get("plotly_chart")}
    for el in at.get("bidi_component"):
        data = json.loads(el.proto.json) if el.proto.component_name == "newsdash_chart" else {}
        if "figure" in data:
            charts[el.key] = (json.loads(data["figure"]), data["config"])
    return charts


def plotly_specs(at) -> dict[str, dict]:
    """Each plotly chart's figure spec (JSON-decoded), by widget key."""
    return {key: spec for key, (spec, _config) in drawn_charts(at).items()}


def plotly_configs(at) -> dict[str, dict]:
    """Each plotly chart's config (JSON-decoded), by widget key."""
    return {key: config for key, (_spec, config) in drawn_charts(at).items()}


def no_errors(at) -> list[str]:
    """Exceptions and error boxes of the last run (empty when the page is healthy)."""
    return [e.value for e in at.exception] + [e.value for e in at.error]


# ------------------------------------------------------------------ live server + browser


ID_COLUMNS = ("article_id", "event_id", "quantity_id", "event_ids")


def _retag(df: pd.DataFrame, ids: dict[str, str]) -> pd.DataFrame:
    """`df` with the sample article ids in its id columns replaced by `ids[old]`."""
    out = df.copy()
    for col in ID_COLUMNS:
        if col in out.columns:
            for old, new in ids.items():
                out[col] = out[col].str.replace(old, new, regex=False)
    return out


def build_sample_store(path: Path, sample: dict[str, pd.DataFrame] | None = None):
    """A real corpus store at `path` holding `sample` (default sample_tables(); a stand-in
    pipeline maps each stored article back to its hand-made rows), so a live server shows
    known numbers."""
    from datetime import date as _date

    from core.corpus.store import PER_ARTICLE, open_store
    from core.model import Article

    sample = sample_tables() if sample is None else sample
    by_text = dict(zip(sample["articles"]["text"], sample["articles"]["article_id"], strict=True))
    event_article = {e: a for e, a in zip(sample["events"]["event_id"], sample["events"]["article_id"], strict=True)}

    def analyse(articles, *, progress=None):
        ids = {by_text[a.text]: a.article_id for a in articles}
        per = {}
        for name in PER_ARTICLE:
            df = sample[name]
            owner = df["article_id"] if "article_id" in df.columns else df["event_id"].map(event_article)
            per[name] = _retag(df[owner.isin(list(ids))], ids)
        return per

    def aggregate(tables):
        ids = {by_text[t]: a for t, a in zip(tables["articles"]["text"], tables["articles"]["article_id"], strict=True)}
        return {**tables, **{n: _retag(sample[n], ids) for n in ("actors", "places", "links")}}

    store = open_store(path, seed=False, analyse=analyse, aggregate=aggregate)
    rows = sample["articles"].to_dict("records")
    store.add_articles([Article(article_id="", file=r["file"], title=r["title"], text=r["text"], source=r["source"],
                                published=_date.fromisoformat(r["published"]), published_precision="day")
                        for r in rows])
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_server(proc: subprocess.Popen) -> None:
    """End the server process `proc`: politely, then by force after 10 s; waits for it."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_for_health(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout}s")


def served_sample_store(tmp_path, monkeypatch):
    """A fixture body: a real store holding the sample corpus, served to the pages through
    NEWSDASH_STORE with writes allowed (user analyst-1), the page caches emptied before and after."""
    import streamlit as st

    path = tmp_path / "store"
    s = build_sample_store(path)
    monkeypatch.setenv("NEWSDASH_STORE", str(path))
    monkeypatch.setenv("NEWSDASH_USER", "analyst-1")
    for name in ("NEWSDASH_READONLY", "NEWSDASH_EDITORS", "NEWSDASH_REQUIRE_SIGNIN"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield s
    st.cache_resource.clear()


@contextlib.contextmanager
def streamlit_server(store: Path, log: Path):
    """`streamlit run dashboard.py` on a free localhost port with NEWSDASH_STORE=`store`;
    yields the base URL once the server answers, stops it after."""
    port = free_port()
    env = {**os.environ, "NEWSDASH_STORE": str(store), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_health(url, proc, timeout=60)
            yield url
        finally:
            stop_server(proc)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The dashboard served live on the hand-made corpus (a real store in a temp folder)."""
    store = tmp_path_factory.mktemp("sample") / "store"
    build_sample_store(store)
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "sample.log") as url:
        yield url


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory):
    """The dashboard served live on a new store in a temp folder, which it seeds from seeds/
    (through the real pipeline) on the first page load."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "seeded.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _local_only(route):
    host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser):
    """A fresh browser page whose every non-localhost request is aborted (the network is
    closed), with the requests it blocked listed in `page.blocked`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    blocked: list[str] = []

    def route(r):
        if not r.request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            blocked.append(r.request.url)
        _local_only(r)

    context.route("**/*", route)
    pg = context.new_page()
    pg.blocked = blocked
    yield pg
    context.close()


def page_html(at) -> list:
    """The st.html elements a page drew itself (ui.layout's stylesheet left out)."""
    return [h for h in at.html if not h.proto.body.lstrip().startswith("<style>")]
