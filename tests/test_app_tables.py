"""AppTest of pages/tables.py: every table, CSV downloads read back from the media storage,
the ZIP snapshot; and the export helpers it uses."""
import io
import json
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from conftest import A3, no_errors, run_page

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
        assert file_name == f"{name}_{TODAY}_all.csv"
        assert (list(df.columns), len(df)) == (schema.columns(name), len(sample_store.tables()[name]))


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
    assert files["events"][0] == f"events_{TODAY}_filtered.csv"


def test_app_tables_csv_neutralises_formulas(sample_store, media_files):
    at = run_page(PAGE)
    articles = pd.read_csv(io.BytesIO(downloads(at, media_files)["articles"][1])).set_index("article_id")
    assert articles.at[A3, "title"] == "'=cmd|' /C calc'!A0"
    assert articles.at[A3, "text"].startswith("'=HYPERLINK(")


def test_app_tables_zip_snapshot_with_manifest(sample_store, media_files):
    at = run_page(PAGE, query={"status": "reported"})
    file_name, data = downloads(at, media_files)["all"]
    assert file_name == f"snapshot_{TODAY}_filtered.zip"
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


@pytest.mark.parametrize("table, when, filtered, expected", [
    ("events", date(2024, 6, 19), True, "events_2024-06-19_filtered.csv"),
    ("links", datetime(2024, 6, 19, 23, 59), False, "links_2024-06-19_all.csv"),
])
def test_app_tables_export_filename(table, when, filtered, expected):
    assert export.export_filename(table, when, filtered) == expected


def test_app_tables_snapshot_zip_round_trip():
    df = pd.DataFrame({"a": ["=1+1", "ok"], "n": [-1, 2]})
    data = export.snapshot_zip({"t": df}, {"filters": {"q": "x"}})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert json.loads(zf.read("manifest.json")) == {"filters": {"q": "x"}, "files": {"t.csv": 2}}
        assert zf.read("t.csv").decode() == "a,n\n'=1+1,-1\nok,2\n"
