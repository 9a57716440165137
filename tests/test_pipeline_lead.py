"""The headline and a lead that repeats it are analysed once, from the lead; a text that starts
with its lead keeps the lead's rows (it is not taken for a headline)."""
from __future__ import annotations

import pytest

from core.corpus.build import analyse_articles
from core.extract.ingest import article_from_text

LEAD = "Kim Jong Un visited Vladivostok on April 25, 2019 for talks with Vladimir Putin, state media said."
MORE = "The two leaders met at a university campus on Russky Island and discussed economic cooperation."


def rows(text: str, **kw):
    return analyse_articles([article_from_text(text, file="t.txt", **kw)], cache_dir="none")


@pytest.mark.parametrize("headline", ["Kim Jong Un visits Vladivostok for talks with Putin", LEAD[:-1]])
def test_pipeline_headline_repeated_by_the_lead_gives_one_row_quoting_the_lead(headline):
    tables = rows(f"{headline}\n\n{LEAD}\n\n{MORE}\n")
    visits = tables["events"].query("type == 'visit'")
    assert visits["sentence"].tolist() == [LEAD]


def test_pipeline_text_starting_with_its_lead_keeps_the_lead_rows():
    tables = rows(f"{LEAD}\n\n{MORE}\n")
    art = tables["articles"].iloc[0]
    assert '"title"' not in art["segments"]
    assert tables["events"].query("type == 'visit'")["sentence"].tolist() == [LEAD]


def test_pipeline_headline_figure_repeated_by_the_lead_is_counted_once():
    text = ("North Korea sent 1 million shells to Russia, Seoul says\n\n"
            "North Korea has sent more than 1 million artillery shells to Russia since August, South Korea's "
            "spy agency said on Wednesday.\n")
    q = rows(text, published="2023-11-01")["quantities"]
    assert len(q) == 1 and q["sentence"].iloc[0].startswith("North Korea has sent more than")
