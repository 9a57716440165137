"""The whole extraction on the seed corpus and on made-up articles: tables, evidence, cache."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core import schema
from core.corpus.build import aggregate, analyse_articles
from core.corpus.export import write_tables
from core.extract.ingest import article_from_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seed_tables(seed_extraction):
    return seed_extraction[1]


def test_pipeline_returns_every_schema_table(seed_tables):
    assert set(seed_tables) == set(schema.TABLES)
    for name, df in seed_tables.items():
        assert list(df.columns) == schema.columns(name)
    assert len(seed_tables["articles"]) == 5


def test_pipeline_offsets_point_at_the_evidence(seed_tables):
    text = dict(zip(seed_tables["articles"]["article_id"], seed_tables["articles"]["text"], strict=True))
    m = seed_tables["mentions"]
    assert all(text[a][s:e] == surf
               for a, s, e, surf in zip(m.article_id, m.start_char, m.end_char, m.surface, strict=True))
    q = seed_tables["quantities"]
    assert all(text[a][s:e] == t for a, s, e, t in zip(q.article_id, q.start_char, q.end_char, q.text, strict=True))
    assert all(text[a][s:e] == sent
               for a, s, e, sent in zip(q.article_id, q.sentence_start, q.sentence_end, q.sentence, strict=True))
    ev = seed_tables["events"]
    assert all(text[a][s:e] == t
               for a, s, e, t in zip(ev.article_id, ev.start_char, ev.end_char, ev.trigger, strict=True))
    assert all(text[a][s:e] == sent
               for a, s, e, sent in zip(ev.article_id, ev.sentence_start, ev.sentence_end, ev.sentence, strict=True))


def test_pipeline_event_actors_and_links_agree_with_events(seed_tables):
    ev, ea = seed_tables["events"], seed_tables["event_actors"]
    assert set(ea["event_id"]) <= set(ev["event_id"])
    for eid, names in zip(ev.event_id, ev.actors.fillna(""), strict=True):
        assert set(filter(None, names.split(";"))) == set(ea.loc[ea.event_id == eid, "actor"])
    links = seed_tables["links"]
    moves = ev.dropna(subset=["origin", "destination"]).query("origin != destination")
    assert links["n_events"].sum() == moves.shape[0]
    assert links[["origin_lat", "destination_lat", "distance_km"]].notna().all().all()


def test_pipeline_made_up_article_end_to_end():
    text = ("Belarus hosts Korean delegation\n\nMINSK, March 3, 2025 (Reuters) - A North Korean military "
            "delegation led by Pak Jong Chon arrived in Minsk on Monday, the Belarusian defence ministry said. "
            "Ukraine's military intelligence said North Korea had shipped more than 3,000 containers of shells "
            "to Russia since August.\n")
    tables = aggregate(analyse_articles([article_from_text(text, file="made_up.txt")], cache_dir="none"))
    art = tables["articles"].iloc[0]
    assert (art["published"], art["source"]) == ("2025-03-03", "Reuters")
    q = tables["quantities"]
    assert q[["value", "qualifier", "category"]].values.tolist() == [[3000.0, "more_than", "container"]]
    visits = tables["events"].query("type == 'visit'")
    assert visits[["date", "destination"]].values.tolist() == [["2025-03-03", "Minsk"]]
    assert "Pak Jong Chon" in set(tables["actors"]["name"])
    assert "Minsk" in set(tables["places"]["name"])


def test_pipeline_second_run_comes_from_the_cache(tmp_path, monkeypatch):
    articles = [article_from_text("Putin met Kim in Vladivostok on April 25, 2019.", file="a.txt")]
    first = analyse_articles(articles, cache_dir=tmp_path)
    import core.corpus.build as pipeline

    def no_model():
        raise AssertionError("the model must not load when every article is cached")

    monkeypatch.setattr(pipeline, "load_nlp", no_model)
    second = analyse_articles(articles, cache_dir=tmp_path)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_pipeline_cli_extract_writes_csv_and_reports_refusals(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.txt").write_text("Kim Jong Un visited Moscow on May 9, 2025.\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "core", "extract", str(tmp_path / "in"), "--out", str(out),
                           "--cache", "none"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "empty.txt" in proc.stderr and "1 refused" in proc.stderr
    assert sorted(p.name for p in out.glob("*.csv")) == sorted(f"{t}.csv" for t in schema.TABLES)
    assert pd.read_csv(out / "articles.csv")["file"].tolist() == ["ok.txt"]


def test_pipeline_csv_export_neutralises_formulas(tmp_path):
    tables = {"actors": schema.validate("actors", pd.DataFrame([{
        "name": "=HYPERLINK(\"http://x\")", "type": "person", "country": None, "code": None,
        "aliases": "+1;@a", "n_articles": 1, "n_mentions": -3, "first_seen": None, "last_seen": None}]))}
    write_tables(tables, tmp_path)
    row = pd.read_csv(tmp_path / "actors.csv").iloc[0]
    assert row["name"].startswith("'=") and row["aliases"] == "'+1;@a" and row["n_mentions"] == -3


def scores_of(tables, gold: Path, out: Path) -> dict:
    """The benchmark scorer's figures (tests/gold/score.py --json) for `tables` against `gold`."""
    write_tables(tables, out)
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "gold" / "score.py"), str(out), str(gold), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_pipeline_dev_scores_meet_the_bar(dev_extraction, tmp_path):
    """Issue 9's bar on the 24 annotated dev articles (gold in tests/dev/gold)."""
    scores = scores_of(dev_extraction[1], ROOT / "tests" / "dev" / "gold", tmp_path)
    assert scores["actors"]["f1"] >= 0.90
    assert scores["places"]["f1"] >= 0.90
    assert scores["quantities"]["f1"] >= 0.90
    assert scores["quantities_full"]["f1"] >= 0.75
    assert scores["events"]["f1"] >= 0.80
    assert scores["events_full"]["f1"] >= 0.65
    assert scores["quantity_dates"]["f1"] >= 0.80
    assert scores["published_accuracy"] == 1.0
    assert scores["boilerplate_quantities"] == [] and scores["byline_actors"] == []


def test_pipeline_seed_scores_meet_the_bar(seed_tables, tmp_path):
    """The benchmark of issue 2 on the seeds, and issue 9's "the seeds stay at or above" (actors
    0.971, places and quantities 1.0, events 0.949, events_full 0.700 before issue 9)."""
    scores = scores_of(seed_tables, ROOT / "tests" / "gold", tmp_path)
    assert scores["actors"]["f1"] >= 0.971
    assert scores["places"]["f1"] >= 0.90
    assert scores["quantities"]["f1"] == 1.0 and scores["quantities_full"]["f1"] == 1.0
    assert scores["events"]["f1"] >= 0.949
    assert scores["events_full"]["f1"] >= 0.700
    assert scores["published_accuracy"] == 1.0
    assert scores["boilerplate_quantities"] == [] and scores["byline_actors"] == []


def test_pipeline_core_never_imports_streamlit():
    for path in (ROOT / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(n.split(".")[0] == "streamlit" for n in names), path.name


def test_pipeline_headline_figure_repeated_in_body_counts_once():
    text = ("Pyongyang sent 5,000 containers to Russia, minister says\n\n"
            "North Korea has sent about 5,000 containers of arms to Russia, the defence minister said on Monday.\n")
    tables = analyse_articles([article_from_text(text, file="t.txt", published="2025-03-05")], cache_dir="none")
    assert tables["quantities"][["value", "qualifier"]].values.tolist() == [[5000.0, "about"]]


def test_pipeline_origin_adjective_is_not_an_item():
    text = "Russia fired 12 Iranian-made Shahed-136 drones and 30 North Korean-made missiles at Kyiv.\n"
    q = analyse_articles([article_from_text(text, file="t.txt")], cache_dir="none")["quantities"]
    assert q[["value", "item"]].astype(object).where(q[["value", "item"]].notna(), None).values.tolist() == [
        [12.0, "Shahed-136"], [30.0, None]]


@pytest.mark.parametrize("second, claimant", [
    ("According to the investigation, Russia fired more than 40 North Korean missiles at Odesa.",
     "Security Service of Ukraine"),
    ("According to officials, Russia fired more than 40 North Korean missiles at Odesa.", None),
])
def test_pipeline_claimant_of_a_document_is_its_author(second, claimant):
    text = f"On March 2, the SBU reported new evidence of attacks on Ukraine. {second}\n"
    article = article_from_text(text, file="t.txt", published="2025-03-05")
    q = analyse_articles([article], cache_dir="none")["quantities"]
    got = q.loc[q["category"] == "missile", "claimant"].tolist()
    assert [None if pd.isna(c) else c for c in got] == [claimant]


def test_pipeline_figures_carry_claimant_day_and_start():
    text = ("Poland tallies Russian shipments\n\nWARSAW, March 8, 2024 - Poland said on Tuesday that Russia had "
            "moved more than 2,000 troops to Belarus since last September. The units include about 300 tanks, "
            "it added.\n\nPoland said on Tuesday that Russia had moved more than 2,000 troops to Belarus.\n")
    tables = aggregate(analyse_articles([article_from_text(text, file="made_up_claims.txt")], cache_dir="none"))
    q = tables["quantities"].sort_values("start_char")
    # the repeat of the same estimate by the same claimant is one row
    assert q[["value", "claimant", "date", "since"]].fillna("").values.tolist() == [
        [2000.0, "Poland", "2024-03-05", "2023-09-01"], [300.0, "Poland", "2024-03-05", ""]]
