"""core.extract.nlp: sentence starts (line breaks, blanked furniture, closing punctuation only)
and the exact character bounds of a sentence's words."""
from __future__ import annotations

import random
import re

import pytest

from core.extract.nlp import load_nlp, sentence_bounds
from core.model import Article, Segment


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def sentences(nlp, text: str) -> list[str]:
    return [text[slice(*sentence_bounds(s))] for s in nlp(text).sents if s.text.strip()]


def test_nlp_every_line_starts_a_sentence(nlp):
    text = "Envoy arrives in Pyongyang\n\nJune 18, 2024\n\nThe envoy arrived on Monday. Talks begin today."
    assert sentences(nlp, text) == ["Envoy arrives in Pyongyang", "June 18, 2024", "The envoy arrived on Monday.",
                                    "Talks begin today."]


@pytest.mark.parametrize("line", [
    "Spy agency says Moscow helped N. Korea put a satellite into orbit",
    "Officials say the U.S. envoy met Kim in Pyongyang on Friday",
    "The delegation, led by Deputy Minister Ivan Example, arrived on Monday and left on Friday.",
])
def test_nlp_no_sentence_starts_without_closing_punctuation(nlp, line):
    assert sentences(nlp, line) == [line]


def test_nlp_closing_quotes_end_sentences(nlp):
    text = 'He said: "We will win." Then he left. "It is fake," the spokesman said.'
    assert sentences(nlp, text) == ['He said: "We will win."', "Then he left.", '"It is fake," the spokesman said.']


def test_nlp_story_after_a_blanked_dateline_starts_a_sentence(nlp):
    text = "SEOUL, June 3 (Example) -- North Korea fired a missile on Monday, the military said."
    where = text.index(" (")
    sep = text.index(" --")
    art = Article("x", "x.txt", "", text, segments=[
        Segment(0, where, "dateline", "agency dateline place/date"), Segment(where, sep, "body", "body"),
        Segment(sep, sep + 4, "boilerplate", "dateline separator"), Segment(sep + 4, len(text), "body", "body")])
    analysed = art.analysed_text()
    assert len(analysed) == len(text)
    doc = nlp(analysed)
    assert [text[slice(*sentence_bounds(s))] for s in doc.sents if s.text.strip()] == [
        "(Example)", "North Korea fired a missile on Monday, the military said."]


def test_nlp_sentence_bounds_drop_blank_lines_and_list_bullets(nlp):
    text = "Related\n\n• Storm closes schools in 3 provinces\n\n\n"
    got = sentences(nlp, text)
    assert got == ["Related", "Storm closes schools in 3 provinces"]


def _reference_starts(doc) -> list:
    """The sentence-start rules of line_breaks applied token by token, as first written: a token
    after a line break starts a sentence; one after a token (or, after whitespace, the last word)
    that does not close a sentence, looking back over closing quotes and brackets, does not."""
    out = [t.is_sent_start for t in doc]

    def closes(i):
        while i >= 0 and doc[i].text in "'\"”’)]»":
            i -= 1
        return i >= 0 and re.search(r"[.!?…]$", doc[i].text) is not None

    last = -1
    for t in doc[:-1]:
        if "\n" in t.text or "\n" in t.whitespace_:
            out[t.i + 1] = True
        else:
            ref = last if t.is_space else t.i
            if ref >= 0 and not closes(ref):
                out[t.i + 1] = False
        if not t.is_space:
            last = t.i
    return out


def test_nlp_line_breaks_follow_the_rules_on_made_up_texts(nlp):
    from core.extract.nlp import line_breaks

    rng = random.Random(5)
    pieces = ["Envoy", "arrives", "said", ".", "!", "?", "…", '"', "'", "”", "’", ")", "]", "»", "(", "U.S.", "Dr.",
              "end.”", "?!", "•", "-", "\n", "\n\n", " \n ", "\t", "  ", "word\n", "Kim", "3"]
    texts = ["", "a", "\n", ".", '"', ' "x." y', "A.\n\nB"]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randrange(60)))
              for _ in range(400)]
    for text in texts:
        doc = nlp.make_doc(text)
        expected = _reference_starts(doc)
        assert [t.is_sent_start for t in line_breaks(doc)] == expected, text


def test_nlp_span_text_and_word_count_match_the_tokens(nlp):
    from core.extract.nlp import span_text, word_count, word_offsets

    doc = nlp("Envoy arrives in Pyongyang\n\n• June 18, 2024 —\n\nThe envoy, Dr. Ivan Example, said: \"We met.\"  ")
    spans = [*doc.sents, *doc.ents, doc[2:5], doc[0:len(doc)]]
    for span in spans:
        assert span_text(span) == span.text
        assert word_count(span) == sum(1 for t in span if not t.is_space and not t.is_punct)
    assert word_offsets(doc) == [t.idx for t in doc if not t.is_space and not t.is_punct]


def test_nlp_token_table_and_forms_match_the_tokens(nlp):
    from core.extract.nlp import token_forms, token_table

    doc = nlp("The envoys ARRIVED in Pyongyang\n\non Monday, officials said.  Talks were held.")
    table = token_table(doc)
    assert table.text == [t.text for t in doc]
    assert table.idx == [t.idx for t in doc]
    assert table.is_space == [t.is_space for t in doc]
    assert table.spaced == [bool(t.whitespace_) for t in doc]
    assert token_forms(doc) == ([t.lemma_.lower() for t in doc], [t.lower_ for t in doc])
