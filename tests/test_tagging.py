"""core.extract.tagging: the stand-ins for the model's attribute ruler and lemmatizer annotate
every token exactly as the originals do (compared attribute by attribute with the pipeline run
with the originals), and are used only where they can be exact."""
from __future__ import annotations

import pytest
import spacy

from core.extract.nlp import load_nlp
from core.extract.tagging import FAST, LEMMATIZER, RULER, stands_in_for

ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_TYPE", "ENT_IOB", "SENT_START", "IS_SPACE"]
# Made-up text touching the ruler's rules of one token (tags, words, dependencies, whitespace)
# and of two ("gonna", "let's", "there are", "ain't", "y'all"), with repeats (answers remembered)
TEXTS = [
    "Pyongyang said on Monday that it would not send troops. Moscow denied it.\n\nThe talks ended.",
    "We're gonna see what they've got, the minister said. Let's wait, he added. Y'all ain't ready.",
    "There are 2,000 soldiers near the border, and there is no sign they'll leave.   Nothin' changed.",
    "I didn't see it. They gave it to me, and I gave it back to you. Do you have it? He did.",
    "  Officials  \n\n  met in Vladivostok on 12 June 2024;\tthe envoy, who had arrived, spoke first.  ",
    "Pyongyang said on Monday that it would not send troops. Moscow denied it.\n\nThe talks ended.",
    "",
    "Ok",
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def original(nlp):
    """`nlp` with the model's own attribute ruler and lemmatizer instead of the stand-in."""
    nlp.disable_pipe(FAST)
    nlp.enable_pipe(RULER)
    nlp.enable_pipe(LEMMATIZER)


def fast(nlp):
    nlp.enable_pipe(FAST)
    nlp.disable_pipe(RULER)
    nlp.disable_pipe(LEMMATIZER)


def annotations(doc) -> tuple:
    return (doc.to_array(ATTRS).tolist(), [str(t.morph) for t in doc], [t.lemma_ for t in doc])


def test_tagging_stands_in_for_the_installed_model(nlp):
    assert FAST in nlp.pipe_names
    assert RULER not in nlp.pipe_names and LEMMATIZER not in nlp.pipe_names
    # in the originals' place: after the parser, before the entity recogniser
    assert nlp.pipe_names.index(FAST) == nlp.pipe_names.index("ner") - 1


def test_tagging_annotates_every_token_as_the_originals(nlp):
    try:
        fast(nlp)
        got = [annotations(d) for d in nlp.pipe(TEXTS)]
        again = [annotations(d) for d in nlp.pipe(TEXTS)]  # every answer remembered now
        original(nlp)
        want = [annotations(d) for d in nlp.pipe(TEXTS)]
    finally:
        fast(nlp)
    assert got == want
    assert again == want


def blank_with(*rules):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(RULER)
    nlp.add_pipe(LEMMATIZER, config={"mode": "rule"})
    for rule in rules:
        ruler.add([rule], {"LEMMA": "x"})
    return nlp


def test_tagging_used_only_where_a_rule_reads_its_tokens_own_values():
    assert stands_in_for(blank_with([{"TAG": "NN", "LOWER": {"IN": ["a", "b"]}}], [{"LOWER": "gon"}, {"LOWER": "na"}]))
    # a rule matching one token or more: its length is not fixed
    assert not stands_in_for(blank_with([{"TAG": "NN"}], [{"LOWER": "very", "OP": "+"}, {"POS": "ADJ"}]))
    # a rule reading an extension attribute or the sentence: not the token's own values
    assert not stands_in_for(blank_with([{"_": {"flag": True}}]))
    assert not stands_in_for(blank_with([{"IS_SENT_START": True}]))
