"""Stale tables on the dashboard: read as stored (no analysis inside a read), a notice, and a
Re-analyse button that re-processes the store with a progress bar."""
from __future__ import annotations

import json

import pytest
import streamlit as st
from conftest import build_sample_store, no_errors, run_page

import ui.data


@pytest.fixture
def stale_store(tmp_path, monkeypatch):
    """A real store of the sample articles whose manifest says an older pipeline made it; the
    dashboard reads it; every analysis call is counted."""
    store = build_sample_store(tmp_path / "store")
    manifest = json.loads(store.manifest_path.read_text())
    store.manifest_path.write_text(json.dumps({**manifest, "pipeline_version": "0.0.0-older"}))
    calls = []
    analyse = store.analyse
    store.analyse = lambda articles, progress=None: calls.append(len(articles)) or analyse(articles, progress=progress)
    store.calls = calls
    monkeypatch.setattr(ui.data, "corpus_store", lambda: store)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()


def test_app_stale_tables_are_shown_with_a_reanalyse_button(stale_store):
    at = run_page()
    assert no_errors(at) == []
    assert stale_store.calls == []  # the read did not analyse
    assert any("made by an older pipeline version — Re-analyse" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Articles"] == "4"
    next(b for b in at.button if b.label == "Re-analyse").click().run()
    assert no_errors(at) == []
    assert stale_store.calls == [4] and not stale_store.stale()
    assert [s.value for s in at.success] == ["4 articles re-processed, 0 kept unchanged"]
    assert not any("older pipeline version" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Articles"] == "4"


def test_app_fresh_tables_show_no_notice(stale_store):
    stale_store.rebuild()
    at = run_page()
    assert no_errors(at) == [] and not any("Re-analyse" in b.label for b in at.button)
