"""core.corpus.saved_views: named views in the store folder."""
from datetime import UTC, datetime

import pytest

from core.corpus import saved_views as sv

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_save_list_replace_and_delete(tmp_path):
    assert sv.load_views(tmp_path) == {}
    sv.save_view(tmp_path, "  Containers   2024 ", "quantities", {"q": "containers", "actor": ["Russia", "Ukraine"],
                                                                  "type": []}, now=NOW)
    sv.save_view(tmp_path, "Map of transfers", "map", {"type": "transfer", "map_link": "Pyongyang → Moscow"}, now=NOW)
    views = sv.load_views(tmp_path)
    assert list(views) == ["Containers 2024", "Map of transfers"]
    assert views["Containers 2024"] == {"page": "quantities", "params": {"q": ["containers"],
                                        "actor": ["Russia", "Ukraine"]}, "saved_at": "2024-05-01T12:00:00+00:00"}
    sv.save_view(tmp_path, "Containers 2024", "", {"q": "ships"}, now=NOW)  # replaced, now the newest
    assert list(sv.load_views(tmp_path)) == ["Map of transfers", "Containers 2024"]
    assert sv.delete_view(tmp_path, "Map of transfers") == {
        "Containers 2024": {"page": "", "params": {"q": ["ships"]}, "saved_at": NOW.isoformat()}}
    assert list(sv.delete_view(tmp_path, "absent")) == ["Containers 2024"]
    assert [p.name for p in tmp_path.iterdir()] == ["views.json"]  # no temporary file left behind


def test_view_url_round_trips_the_parameters():
    view = {"page": "map", "params": {"actor": ["Kim Jong Un", "Russia"], "map_link": ["A → B (visit)"]}}
    assert sv.view_url(view) == "map?actor=Kim+Jong+Un&actor=Russia&map_link=A+%E2%86%92+B+%28visit%29"
    assert sv.view_url({"page": "", "params": {}}) == ""


@pytest.mark.parametrize("name, params, message", [
    ("   ", {}, "needs a name"),
    ("x" * 81, {}, "at most 80"),
    ("ok", {"actor": [1]}, "'actor'"),
    ("ok", {"q": {"a": 1}}, "'q'"),
    ("ok", {"q": "x" * 501}, "'q'"),
])
def test_bad_views_are_refused_with_the_reason(tmp_path, name, params, message):
    with pytest.raises(sv.ViewError, match=message):
        sv.save_view(tmp_path, name, "map", params)
    assert not sv.views_path(tmp_path).exists()


def test_a_corrupt_file_is_named_in_the_error(tmp_path):
    sv.views_path(tmp_path).write_text('{"views": {"a": {"page": "map"}}}', encoding="utf-8")
    with pytest.raises(sv.ViewError, match=r"views\.json"):
        sv.load_views(tmp_path)
