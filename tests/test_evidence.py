"""Evidence exact, on every dev article and every seed: each event and quantity row quotes one
whole sentence of the story, character for character, and nothing of the page around it.

The extraction runs once per test session (the dev_extraction and seed_extraction fixtures).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.model import ANALYSED_KINDS

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "tests" / "dev" / "articles", ROOT / "seeds"]
# A sentence may open with a capital, a digit or a quotation mark; anything else ("says Russia
# helped ...", ": North Korea's ...", "(NPW) — Russia has ...") only where the line itself
# begins so ("(LEAD) Kim tells Putin ...").
OPENERS = "\"“‘'"
BULLETS = "•·▪▫◦‣●○■□►▸▹▻»›>|*+-–— \t"


@pytest.fixture(scope="module")
def extracted(dev_extraction, seed_extraction):
    parts = [dev_extraction, seed_extraction]
    articles = [a for arts, _ in parts for a in arts]
    assert len(articles) >= 29
    tables = {name: pd.concat([t[name] for _, t in parts], ignore_index=True) for name in ("events", "quantities")}
    return {a.article_id: a for a in articles}, tables


def _rows(extracted):
    texts, tables = extracted
    for name in ("events", "quantities"):
        for row in tables[name].to_dict("records"):
            yield name, texts[row["article_id"]], row


def test_evidence_rows_exist_for_every_corpus(extracted):
    texts, tables = extracted
    files = {texts[a].file for a in pd.concat([tables["events"], tables["quantities"]])["article_id"]}
    assert any(f.startswith("d") for f in files) and sum(not f.startswith("d") for f in files) == 5


def test_evidence_sentence_is_the_text_between_its_offsets(extracted):
    wrong = [(art.file, name, row["sentence"][:80]) for name, art, row in _rows(extracted)
             if row["sentence"] != art.text[row["sentence_start"]:row["sentence_end"]]
             or row["sentence"] != row["sentence"].strip() or not row["sentence"]]
    assert wrong == []


def test_evidence_sentence_holds_the_trigger_or_figure(extracted):
    outside = [(art.file, name, row["sentence"][:80]) for name, art, row in _rows(extracted)
               if not row["sentence_start"] <= row["start_char"] < row["end_char"] <= row["sentence_end"]]
    assert outside == []


def test_evidence_sentence_does_not_start_mid_sentence(extracted):
    bad = []
    for name, art, row in _rows(extracted):
        first = row["sentence"][:1]
        if first.isupper() or first.isdigit() or first in OPENERS:
            continue
        line_start = art.text.rfind("\n", 0, row["sentence_start"]) + 1
        if art.text[line_start:row["sentence_start"]].strip(BULLETS):
            bad.append((art.file, name, row["sentence"][:80]))
    assert bad == []


def test_evidence_sentence_holds_no_page_furniture(extracted):
    """No quoted sentence reaches into a dateline, byline or boilerplate segment: no header
    block, copyright line, photo credit or agency dateline inside the evidence."""
    bad = []
    for name, art, row in _rows(extracted):
        s, e = row["sentence_start"], row["sentence_end"]
        for seg in art.segments:
            if seg.kind not in ANALYSED_KINDS and seg.start < e and seg.end > s \
                    and art.text[max(seg.start, s):min(seg.end, e)].strip():
                bad.append((art.file, name, seg.kind, seg.reason, row["sentence"][:60]))
    assert bad == []
