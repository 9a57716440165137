"""AppTest of pages/tables.py: every table, CSV downloads read back from the media storage,
the ZIP snapshot; and the export helpers it uses."""
import io
import json
import zipfile
from datetime import date

import pandas as pd
import pytest
from conftest import A1, A2, A3, A4, no_errors, run_page

from core import schema
from core.corpus import export

PAGE = "pages/tables.py"
TODAY = date.today().isoformat()


def downloads(at, media_files) -> dict[str, tuple[str, bytes]]:
    """Button label's table name -> (file name, bytes) for every download button."""
    out = {}
    for button in at.download_button:
        name = button.proto.label.split()[1]
        out[name] = media_files.read(button)
    return out


def test_app_tables_every_table_with_its_csv(sample_store, media_files):
    at = run_page(PAGE)
    assert no_errors(at) == []
    files = downloads(at, media_files)
    assert sorted(files) == sorted(["all", *schema.TABLES])
    for name in schema.TABLES:
        file_name, data = files[name]
        df = pd.read_csv(io.BytesIO(data))
        assert file_name == f"{name}_all.csv"
        # Events and quantities also carry their article and actors with roles (after the schema's columns).
        extra = list(export.ENRICHED) if name in ("events", "quantities") else []
        assert (list(df.columns), len(df)) == (schema.columns(name) + extra, len(sample_store.tables()[name]))


def test_app_tables_events_csv_names_article_and_actor_roles(sample_store, media_files):
    at = run_page(PAGE)
    events = pd.read_csv(io.BytesIO(downloads(at, media_files)["events"][1])).set_index("event_id")
    row = events.loc[f"{A4}-0"]
    assert (row["article_title"], row["outlet"], row["published"]) == ("Putin in Pyongyang", "Yonhap", "2024-06-20")
    assert row["actors_roles"] == "Vladimir Putin (source); North Korea (target)"
    quantities = pd.read_csv(io.BytesIO(downloads(at, media_files)["quantities"][1])).set_index("quantity_id")
    assert quantities.loc[f"{A2}-q0", "actors_roles"] == ("Ukraine (claimant); North Korea (source); "
                                                          "Russia (target)")


def test_app_tables_open_readable(sample_store):
    at = run_page(PAGE)
    shown = at.dataframe[0]  # the events tab's table
    events = shown.value.set_index("event_id")
    assert list(events.columns[:4]) == ["when", "type", "status", "actors_roles"]
    assert events.loc[f"{A1}-1", "when"] == "2023-10 (month only)"
    assert list(events.loc[f"{A1}-0", "actors_roles"]) == ["Kim Jong Un (source)", "Russia (target)"]
    assert events.loc[f"{A1}-0", "origin"] == ""  # empty, not "None"
    config = json.loads(shown.proto.columns)
    assert config["article_id"]["hidden"] is True and config["story_id"]["hidden"] is True
    quantities = next(d for d in at.dataframe if "claimant" in d.value.columns)
    assert "hidden" not in json.loads(quantities.proto.columns).get("text", {})  # the figure's own words stay


def test_app_tables_say_what_the_dates_hide(sample_store):
    at = run_page(PAGE, query={"from": "2024-01-01"})
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "Not shown: 2 events outside the dates, 1 undated." in captions


@pytest.mark.parametrize("query, rows", [
    ({"type": "visit"}, {"events": 3, "quantities": 0, "articles": 3, "links": 0}),
    ({"source": "Yonhap"}, {"events": 3, "quantities": 2, "articles": 2, "links": 1}),
    ({"actor": "Ukraine"}, {"events": 2, "quantities": 2, "articles": 2, "links": 2}),
])
def test_app_tables_downloads_carry_the_filtered_rows(sample_store, media_files, query, rows):
    at = run_page(PAGE, query=query)
    files = downloads(at, media_files)
    got = {name: len(pd.read_csv(io.BytesIO(files[name][1]))) for name in rows}
    assert got == rows
    assert files["events"][0] == f"events_{export.slug(next(iter(query.values())))}.csv"


def test_app_tables_csv_neutralises_formulas(sample_store, media_files):
    at = run_page(PAGE)
    articles = pd.read_csv(io.BytesIO(downloads(at, media_files)["articles"][1])).set_index("article_id")
    assert articles.at[A3, "title"] == "'=cmd|' /C calc'!A0"
    assert articles.at[A3, "text"].startswith("'=HYPERLINK(")


def test_app_tables_zip_snapshot_with_manifest(sample_store, media_files):
    at = run_page(PAGE, query={"status": "reported"})
    file_name, data = downloads(at, media_files)["all"]
    assert file_name == "snapshot_reported.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        events = pd.read_csv(zf.open("events.csv"))
        names = sorted(zf.namelist())
    assert names == sorted([f"{n}.csv" for n in schema.TABLES] + ["corrections.csv", "manifest.json"])
    assert (len(events), set(events["status"])) == (4, {"reported"})
    assert manifest["filters"] == {"statuses": ["reported"]}
    assert manifest["corpus"] == {"store": "memory://sample", "version": "1", "articles": 4, "events": 6}
    assert manifest["files"]["events.csv"] == 4 and manifest["pipeline_version"]
    assert manifest["review"]["events"] == {"auto": 4, "corrected": 0, "added": 0, "reviewed": 0}


def test_app_tables_column_descriptions_come_from_the_schema(sample_store):
    at = run_page(PAGE)
    assert len(at.table) == len(schema.TABLES)
    events_doc = at.table[0].value
    assert list(events_doc["column"]) == schema.columns("events")


@pytest.mark.parametrize("table, filters, expected", [
    ("events", {"actors": ["Kim Jong Un"], "date_from": "2024-01-01", "date_to": "2024-12-31"},
     "events_kim-jong-un_2024-01-01_2024-12-31.csv"),
    ("links", {}, "links_all.csv"),
    ("quantities", {"date_from": "2024-01-01"}, "quantities_from-2024-01-01.csv"),
    ("events", {"types": ["visit"], "sources": ["Yonhap"], "text": "Hwasong-11 missiles"},
     "events_visit_yonhap_q-hwasong-11-missiles.csv"),
])
def test_app_tables_export_filename_says_what_it_holds(table, filters, expected):
    assert export.export_filename(table, filters) == expected


def test_app_tables_long_export_filename_gets_a_hash():
    many = {"actors": [f"Actor number {i}" for i in range(12)], "date_to": "2024-12-31"}
    name = export.export_filename("events", many)
    assert len(name) < 100 and name.endswith("_to-2024-12-31.csv")
    other = export.export_filename("events", {**many, "actors": [*many["actors"], "One more"]})
    assert other != name and other[:40] == name[:40]


def test_app_tables_snapshot_zip_round_trip():
    df = pd.DataFrame({"a": ["=1+1", "ok"], "n": [-1, 2]})
    data = export.snapshot_zip({"t": df}, {"filters": {"q": "x"}})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert json.loads(zf.read("manifest.json")) == {"filters": {"q": "x"}, "files": {"t.csv": 2}}
        assert zf.read("t.csv").decode() == "a,n\n'=1+1,-1\nok,2\n"


def test_app_tables_large_corpus_lists_pages_from_sql(sample_store, monkeypatch):
    from ui import widgets

    # The sample store stands in for a corpus past LAZY_ROWS rows: tables listed a page at a time.
    monkeypatch.setattr(widgets, "LAZY_ROWS", 10)
    monkeypatch.setattr(widgets, "PAGE_ROWS", 3)
    n_events = len(sample_store.tables()["events"])
    assert n_events > 3
    at = run_page(PAGE)
    assert no_errors(at) == []
    chooser = at.number_input(key="tables_page_events")
    assert chooser.max == -(-n_events // 3)
    first = at.dataframe[0].value
    assert len(first) == 3
    chooser.set_value(2).run()
    assert no_errors(at) == []
    second = at.dataframe[0].value
    assert len(second) == min(3, n_events - 3) and not first.equals(second)
    # The download buttons still say how many rows each file holds.
    assert f"Download events CSV ({n_events:,} rows)" in [b.proto.label for b in at.download_button]
