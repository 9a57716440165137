"""core.extract.tagging: the stand-ins for the model's attribute ruler and lemmatizer annotate
every token exactly as the originals do (compared attribute by attribute with the pipeline run
with the originals), and are used only where they can be exact."""
from __future__ import annotations

import pytest
import spacy

from core.extract.nlp import load_nlp
from core.extract.tagging import FAST, LEMMATIZER, RULER, FastRuler, stands_in_for

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


def test_tagging_ruler_matches_as_spacys_for_rules_of_any_local_kind():
    nlp = blank_with()
    ruler = nlp.get_pipe(RULER)
    ruler.add([[{"TEXT": "kIm"}]], {"LEMMA": "kim"})  # by its exact text, not its lower-cased form
    ruler.add([[{"LENGTH": 3, "IS_TITLE": True}]], {"POS": "PROPN"})
    ruler.add([[{"LOWER": {"REGEX": "^(?:sanction|troop)s?$"}}]], {"MORPH": "Number=Plur"})
    ruler.add([[{"LOWER": {"NOT_IN": ["the", "a"]}, "IS_ALPHA": True}]], {"LEMMA": "w"})
    ruler.add([[{"LOWER": "north"}, {"LOWER": "korea"}]], {"LEMMA": "dprk"}, index=-1)
    ruler.add([[{"IS_DIGIT": True}, {"IS_PUNCT": True}, {"IS_DIGIT": True}]], {"POS": "NUM"}, index=-1)
    ruler.add([[{"LOWER": "north"}]], {"LEMMA": "north"})
    fast = FastRuler(ruler, nlp)
    texts = ["Kim met Putin in North Korea, and North Korea said 3-4 troops left.",
             "The sanction on North\nKorea: Kim said 1,2 and north korea", "Kim", "", "north korea north",
             "kiM kIm kIm kiM 1-2"]
    for text in texts * 2:  # the second time from remembered answers
        assert fast.match(nlp.make_doc(text)) == ruler.match(nlp.make_doc(text))
    docs = [nlp.make_doc(t) for t in texts]
    for doc in docs:
        fast(doc)
    assert [annotations(d) for d in docs] == [annotations(ruler(nlp.make_doc(t))) for t in texts]
