"""Coreference on made-up sentences: pronouns and definite descriptions to the actor meant."""
from __future__ import annotations

import pandas as pd
import pytest

from core.corpus.tables import actors_table
from core.extract.mentions import find_mentions
from core.extract.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def refs(nlp, text):
    """(surface, canonical name) of every coreference mention in `text`."""
    return [(m.surface, m.name) for m in find_mentions(nlp(text)) if m.coref]


def test_coref_pronoun_and_role_noun_to_the_person_just_named(nlp):
    text = ("Foreign Minister Sergei Lavrov arrived in Hanoi on Monday. He said the talks would focus on trade, "
            "and the minister thanked his hosts.")
    assert refs(nlp, text) == [("He", "Sergei Lavrov"), ("the minister", "Sergei Lavrov"), ("his", "Sergei Lavrov")]


def test_coref_pronoun_prefers_the_subject(nlp):
    text = "Kim Jong Un toured the plant with Park Mi-ran. He said production must rise."
    assert refs(nlp, text) == [("He", "Kim Jong Un")]


def test_coref_nationality_picks_the_person_of_that_state(nlp):
    text = "Kim Jong Un met Vladimir Putin in Vladivostok. The North Korean leader praised the talks."
    assert refs(nlp, text) == [("The North Korean leader", "Kim Jong Un")]
    text = "Kim Jong Un met Vladimir Putin in Vladivostok. The Russian president praised the talks."
    assert refs(nlp, text) == [("The Russian president", "Vladimir Putin")]


def test_coref_organisation_noun_to_the_body_with_that_noun(nlp):
    text = "The Korean Central News Agency reported the launch. The agency said it was a success."
    assert refs(nlp, text) == [("The agency", "Korean Central News Agency")]
    text = "Russia's foreign ministry issued a statement. The ministry said the ministry building was safe."
    assert refs(nlp, text) == [("The ministry", "Ministry of Foreign Affairs of Russia")]


def test_coref_never_creates_an_actor(nlp):
    assert refs(nlp, "He said the minister and the agency would reply.") == []
    # a nationality no named person has
    assert refs(nlp, "Vladimir Putin spoke first. The Chinese leader replied.") == []


def test_coref_is_not_a_name_of_its_own(nlp):
    assert refs(nlp, "Vladimir Putin arrived. The minister Sergei Lavrov followed.") == []
    assert refs(nlp, "Vladimir Putin arrived. The Kharkiv prosecutor objected.") == []


def test_coref_words_are_not_aliases_in_the_actors_table(nlp):
    text = "Foreign Minister Sergei Lavrov arrived in Hanoi on Monday. He said the talks went well."
    rows = [{"article_id": "a", "kind": m.kind, "name": m.name, "surface": m.surface, "type": m.actor.type
             if m.actor else None, "country": None, "code": None, "coref": m.coref}
            for m in find_mentions(nlp(text))]
    table = actors_table(pd.DataFrame(rows), pd.DataFrame([{"article_id": "a", "published": "2024-01-01"}]))
    lavrov = table[table["name"] == "Sergei Lavrov"].iloc[0]
    assert lavrov["aliases"] == "Sergei Lavrov"
    assert lavrov["n_mentions"] == 2


def test_coref_descriptions_with_their_own_complement_are_not_references(nlp):
    text = "Vladimir Putin arrived. He met Olga Ivanova, the envoy of the Kuban region, at the head of a delegation."
    assert refs(nlp, text) == [("He", "Vladimir Putin")]


def test_coref_a_named_panel_is_meant_many_sentences_on(nlp):
    text = ("The UN Panel of Experts published its findings on Monday. The findings ran to 40 pages. "
            "Diplomats read them closely. Several disputed the figures. Others welcomed the detail. "
            "The report is the last from the panel, whose mandate ends this month.")
    assert refs(nlp, text) == [("the panel", "UN Panel of Experts")]
    text = ("Sergei Lavrov arrived on Monday. The talks began. Diplomats met. Others waited. Reporters left. "
            "He said nothing.")
    assert refs(nlp, text) == []
    text = ("The UN Panel of Experts published its findings on Monday. The findings ran to 40 pages. "
            "Diplomats read them closely. The Korean Central News Agency disputed the figures. Others welcomed them. "
            "The report is the last from the panel, whose mandate ends this month.")
    assert refs(nlp, text) == []


def place_refs(nlp, text):
    """(surface, canonical name) of every place description resolved in `text`."""
    return [(m.surface, m.name) for m in find_mentions(nlp(text)) if m.coref and m.kind == "place"]


def test_coref_place_descriptions_to_the_place_named_before(nlp):
    text = "A drone hit Odesa on Monday, firms in Europe and Asia said. Debris fell across the city."
    assert place_refs(nlp, text) == [("the city", "Odesa")]
    text = "Troops moved into the Kursk region in October. Ukraine seized part of the region in August."
    assert place_refs(nlp, text) == [("the region", "Kursk")]
    text = "Sergei Shoigu left Moscow on Friday. He landed in the North Korean capital hours later."
    assert place_refs(nlp, text) == [("the North Korean capital", "Pyongyang")]


def test_coref_place_descriptions_need_a_referent(nlp):
    assert place_refs(nlp, "Officials said the city was calm.") == []
    assert place_refs(nlp, "Kim Jong Un visited Wonsan. He later toured the zoo.") == []
    assert place_refs(nlp, "A drone hit Odesa on Monday. The city of Kherson was calm.") == []


def test_coref_plural_subject_to_the_pair_just_named(nlp):
    text = "Kim Jong Un and Vladimir Putin praised the ties when they met in Vladivostok."
    assert refs(nlp, text) == [("they", "Kim Jong Un"), ("they", "Vladimir Putin")]
    text = "Kim Jong Un received Vladimir Putin on Monday. On Tuesday, the two leaders signed a pact."
    assert refs(nlp, text) == [("the two leaders", "Kim Jong Un"), ("the two leaders", "Vladimir Putin")]
    text = "Russia and North Korea held talks on Friday. Both countries pledged to expand trade."
    assert sorted(refs(nlp, text)) == [("Both countries", "North Korea"), ("Both countries", "Russia")]


def test_coref_plural_subject_needs_a_pair(nlp):
    assert refs(nlp, "Officials said they would reply.") == []
    # "they" only looks within its own sentence: here it means the officials
    assert refs(nlp, "Kim Jong Un and Vladimir Putin met. Two officials from the ministry said they agreed.") == []
    # persons are no countries
    assert refs(nlp, "Kim Jong Un and Vladimir Putin met. Both governments welcomed the talks.") == []


def test_coref_organisation_noun_matches_the_words_the_article_used(nlp):
    text = "Ukraine's military intelligence agency said troops had arrived. The agency said more would come."
    assert refs(nlp, text) == [("The agency", "Defence Intelligence of Ukraine")]
