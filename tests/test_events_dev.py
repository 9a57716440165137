"""Every event row of the dev set points at exactly one whole sentence of its article."""
import json
from pathlib import Path

import pytest

from core.corpus.build import analyse_articles

DEV = Path(__file__).parent / "dev" / "articles"


@pytest.fixture(scope="module")
def dev_tables(dev_extraction):
    articles, tables = dev_extraction
    assert len(articles) == 24
    return articles, tables


def test_events_evidence_is_exact_sentences_of_the_article(dev_tables):
    articles, tables = dev_tables
    text = {a.article_id: a.text for a in articles}
    events = tables["events"]
    assert len(events) > 100
    for row in events.itertuples():
        t = text[row.article_id]
        assert t[row.sentence_start:row.sentence_end] == row.sentence
        spans = json.loads(row.evidence)
        assert spans[0] == [row.sentence_start, row.sentence_end]
        assert all(0 <= s < e <= len(t) for s, e in spans)
        # a whole sentence: it does not start mid-word or on the tail of a dateline
        first = row.sentence.lstrip()[:1]
        assert first.isupper() or first.isdigit() or first in "\"“‘'(•", row.sentence[:60]


def test_events_dated_rows_never_take_the_publication_date_without_words_for_it(dev_tables):
    from core.extract.dates import find_dates

    articles, tables = dev_tables
    by_id = {a.article_id: a for a in articles}
    events = tables["events"]
    for row in events[events["date_precision"] == "day"].itertuples():
        a = by_id[row.article_id]
        if a.published is None or row.date != a.published.isoformat() or row.type == "visit":
            continue  # only a present-perfect arrival or departure may be news of the day
        said = {d.date for past in ("past", None) for d in find_dates(row.sentence, a.published, tense=past)}
        assert a.published in said or "day" in row.sentence, row.sentence[:120]


def test_figure_of_a_period_holds_at_its_end_and_counts_since_its_start():
    from core.extract.ingest import article_from_text

    text = "The agency said on March 10 that the state had shipped 5,000 shells to the rebels since January."
    tables = analyse_articles([article_from_text(text, file="t.txt", published="2025-03-20")], cache_dir="none")
    q = tables["quantities"]
    assert list(zip(q["value"], q["date"], q["since"], strict=True)) == [(5000, "2025-03-10", "2025-01-01")]
    ev = tables["events"]
    assert ("transfer", "2025-01-01", "2025-03-10") in set(zip(ev["type"], ev["date"], ev["date_end"], strict=True))
