"""The Tables page past LAZY_ROWS rows reads a page's articles and event actors, never the whole
tables (View.tables: at a million events hundreds of MB kept for a 500-row page), and its
on-click downloads read theirs then and keep none; what it shows and writes is what the small
corpus path shows and writes."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import no_errors, run_page

from ui import data, widgets

PAGE = "pages/tables.py"
TABS = ["events", "actors", "quantities", "places", "links", "articles", "event_actors", "mentions"]


def shown(at) -> dict[str, pd.DataFrame]:
    """Each tab's table as shown (a table not selectable keeps no key in AppTest: by position)."""
    return {name: frame.value for name, frame in zip(TABS, at.dataframe, strict=True)}


@pytest.fixture
def deferred(monkeypatch) -> list:
    """The media file managers AppTest makes, to run an on-click download's function."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers: list = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return managers


def clicked(managers: list, button) -> pd.DataFrame:
    """The CSV an on-click download button makes, as a frame."""
    made = managers[-1]._deferred_callables[button.proto.deferred_file_id]["callable"]()
    return pd.read_csv(io.BytesIO(made))


def test_large_tables_page_reads_no_whole_table_and_shows_the_same(sample_store, media_files, deferred,
                                                                   monkeypatch):
    small = run_page(PAGE)
    assert no_errors(small) == []
    want = shown(small)
    want_csv = {b.proto.label.split()[1]: pd.read_csv(io.BytesIO(media_files.read(b)[1]))
                for b in small.download_button if b.proto.label.split()[1] in ("events", "quantities")}

    # The sample store stands in for a corpus past LAZY_ROWS rows, one page holding every row.
    monkeypatch.setattr(widgets, "LAZY_ROWS", 3)  # events and figures: files made on click

    def refuse(self):
        raise AssertionError("a whole corpus table was read")
    monkeypatch.setattr(data.View, "tables", property(refuse))
    large = run_page(PAGE)
    assert no_errors(large) == []
    got = shown(large)
    for name in TABS:
        mine, theirs = got[name], want[name]
        assert list(mine.columns) == list(theirs.columns), name
        # The large path lists rows in table order, the small one as the tables hold them: compare as sets of rows.
        key = list(mine.columns)
        as_text = [f.astype(str).sort_values(key).reset_index(drop=True) for f in (mine, theirs)]
        pd.testing.assert_frame_equal(*as_text, obj=name)
    events = got["events"].set_index("event_id")
    assert events["article_title"].ne("").all() and events["actors_roles"].map(len).gt(0).any()

    buttons = {b.proto.label.split()[1]: b for b in large.download_button}
    for name, theirs in want_csv.items():
        assert buttons[name].proto.HasField("deferred_file_id")
        mine = clicked(deferred, buttons[name])
        key = list(theirs.columns)
        pd.testing.assert_frame_equal(mine.sort_values(key).reset_index(drop=True),
                                      theirs.sort_values(key).reset_index(drop=True), obj=name)
