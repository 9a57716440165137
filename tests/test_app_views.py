"""AppTest of views you can share: a link's unknown values named, page settings in the URL,
named saved views in the store folder."""
from datetime import date

import pytest
import streamlit as st
from conftest import FakeStore, no_errors, run_page

import ui.data
from core.corpus import saved_views
from ui import urlstate


@pytest.fixture
def disk_store(monkeypatch, tables, tmp_path):
    """The sample corpus served by a store whose folder is `tmp_path` (saved views go there)."""
    store = FakeStore(tables, path=str(tmp_path))
    monkeypatch.setattr(ui.data, "corpus_store", lambda: store)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()


def test_a_link_with_values_the_corpus_lacks_says_which_it_ignored(sample_store):
    at = run_page(query={"actor": ["Russia", "Atlantis"], "type": "picnic", "from": "not a date", "source": "Yonhap"})
    assert no_errors(at) == []
    (warning,) = [w.value for w in at.sidebar.warning]
    assert all(word in warning for word in ("Atlantis", "picnic", "not a date"))
    assert not any(word in warning for word in ("Russia", "Yonhap"))  # known values are not listed
    assert at.get_by_key("filters_actors").value == ["Russia"]
    at.switch_page("pages/map.py").run()
    assert [w.value for w in at.sidebar.warning] == []  # said once, on the page the link opened


def test_a_link_the_corpus_fully_knows_shows_no_warning(sample_store):
    at = run_page(query={"actor": "Russia", "from": "2024-01-01"})
    assert [w.value for w in at.sidebar.warning] == []


def save(at, name: str):
    at.get_by_key("views_name").input(name)
    next(b for b in at.button if b.label == "Save current view").click()
    return at.run()


def test_save_a_view_with_its_page_settings_then_delete_it(disk_store, tmp_path):
    at = run_page("pages/map.py", query={"type": "transfer"})
    at.get_by_key("map_inset").set_value(False).run()
    at = save(at, "Transfers, no inset")
    assert no_errors(at) == []
    (name, view), = saved_views.load_views(tmp_path).items()
    assert name == "Transfers, no inset" and view["page"] == "map"
    assert view["params"]["type"] == ["transfer"] and view["params"]["map_inset"] == ["false"]
    links = [m.value for m in at.sidebar.markdown if "](./map?" in m.value]
    assert len(links) == 1 and "type=transfer" in links[0] and "map_inset=false" in links[0]
    at.get_by_key("views_delete_Transfers, no inset").click().run()
    assert saved_views.load_views(tmp_path) == {}
    assert not [m.value for m in at.sidebar.markdown if "](./map?" in m.value]


def test_a_saved_view_reopens_as_it_was_saved(disk_store, tmp_path):
    at = run_page("pages/actors.py", query={"actor": "Ukraine", "actors_min_events": "2"})
    at = save(at, "Ukraine")
    view = saved_views.load_views(tmp_path)["Ukraine"]
    reopened = run_page("pages/actors.py", query=view["params"])
    assert no_errors(reopened) == []
    assert reopened.get_by_key("filters_actors").value == ["Ukraine"]
    assert reopened.get_by_key("actors_min_events").value == 2


def test_an_unnamed_view_is_refused(disk_store, tmp_path):
    at = save(run_page("pages/map.py"), "   ")
    assert [e.value for e in at.error] and saved_views.load_views(tmp_path) == {}


def test_no_saved_views_box_for_a_store_that_is_not_a_folder(sample_store):
    at = run_page("pages/map.py")
    assert not [b for b in at.button if b.label == "Save current view"]


def test_a_read_only_dashboard_lists_views_but_cannot_save_or_delete(disk_store, tmp_path, monkeypatch):
    saved_views.save_view(tmp_path, "Yonhap only", "", {"source": "Yonhap"})
    monkeypatch.setenv("NEWSDASH_READONLY", "1")
    at = run_page("pages/map.py")
    assert no_errors(at) == []
    assert [m.value for m in at.sidebar.markdown if "](./?source=Yonhap)" in m.value]  # opening still works
    assert not [b for b in at.button if b.label == "Save current view" or (b.key or "").startswith("views_delete")]
    assert any("Saving views is off" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("value, expected", [
    (True, ["true"]), (False, ["false"]), (3, ["3"]), ("a → b", ["a → b"]), (["x", "y"], ["x", "y"]),
    (date(2024, 1, 15), ["2024-01-15"]), (None, None),
])
def test_widget_values_as_url_parameters(value, expected):
    assert urlstate.as_param(value) == expected
