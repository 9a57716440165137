"""core.extract.quantities: figures of made-up news sentences, parsed by the real model."""
import pytest

from core.extract.nlp import load_nlp
from core.extract.quantities import QuantityMention, extract_quantities, lexicon


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def rows(nlp, text, **kw):
    """(value, value_max, qualifier, unit, category, item, text) of every figure of `text`."""
    return [(q.value, q.value_max, q.qualifier, q.unit, q.category, q.item, q.text)
            for q in extract_quantities(nlp(text), **kw)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # missiles, with qualifiers and named items
        ("Russia fired more than 20 North Korean missiles at Ukraine.",
         [(20, None, "more_than", "missile", "missile", None, "more than 20 North Korean missiles")]),
        ("Russia had fired about 50 North Korean Hwasong-11 missiles at Kharkiv.",
         [(50, None, "about", "missile", "missile", "Hwasong-11", "about 50 North Korean Hwasong-11 missiles")]),
        ("Seoul says Pyongyang supplied dozens of ballistic missiles.",
         [(24, None, "vague", "missile", "missile", None, "dozens of ballistic missiles")]),
        ("The army launched two Iskander-M missiles and 24 Shahed-136 drones overnight.",
         [(2, None, "exact", "missile", "missile", "Iskander-M", "two Iskander-M missiles"),
          (24, None, "exact", "drone", "other", "Shahed-136", "24 Shahed-136 drones")]),
        ("Moscow received less than 5 KN-23 ballistic missiles and approximately 500 rockets.",
         [(5, None, "less_than", "missile", "missile", "KN-23", "less than 5 KN-23 ballistic missiles"),
          (500, None, "about", "rocket", "missile", None, "approximately 500 rockets")]),
        # containers and munitions
        ("North Korea has sent about 7,000 containers of ammunition to Russia.",
         [(7000, None, "about", "container", "container", None, "about 7,000 containers")]),
        ("Pyongyang shipped upwards of 1,000 containers in October.",
         [(1000, None, "more_than", "container", "container", None, "upwards of 1,000 containers")]),
        ("Seoul said the North provided more than one million artillery rounds.",
         [(1e6, None, "more_than", "round", "munition", None, "more than one million artillery rounds")]),
        ("Russia has received roughly 3 million shells and an estimated 6,000 mortar rounds.",
         [(3e6, None, "about", "shell", "munition", None, "roughly 3 million shells"),
          (6000, None, "about", "round", "munition", None, "an estimated 6,000 mortar rounds")]),
        ("The ministry said 1,500 tonnes of ammunition were shipped in three batches of shells.",
         [(1500, None, "exact", "tonne", "munition", None, "1,500 tonnes of ammunition"),
          (3, None, "exact", "shell", "munition", None, "three batches of shells")]),
        ("The containers could hold more than 3 million 152mm artillery shells.",
         [(3e6, None, "more_than", "shell", "munition", "152mm", "more than 3 million 152mm artillery shells")]),
        ("Two rounds of talks took place in Moscow.", [(2, None, "exact", "round", "other", None, "Two rounds")]),
        # casualties: nouns, verbs, adjectives, the toll
        ("The strike killed 5 civilians and injured 16 others, the governor said.",
         [(5, None, "exact", "civilian", "casualty", None, "5 civilians"),
          (16, None, "exact", "person", "casualty", None, "16 others")]),
        ("At least 12 people were killed and dozens wounded in the attack.",
         [(12, None, "more_than", "person", "casualty", None, "At least 12 people"),
          (24, None, "vague", "wounded", "casualty", None, "dozens wounded")]),
        ("The drones left 12 dead and 30 injured in Odesa.",
         [(12, None, "exact", "dead", "casualty", None, "12 dead"),
          (30, None, "exact", "injured", "casualty", None, "30 injured")]),
        ("Hundreds of North Korean soldiers were killed in Kursk.",
         [(200, None, "vague", "soldier", "casualty", None, "Hundreds of North Korean soldiers")]),
        ("The death toll rose to 14 on Sunday.", [(14, None, "exact", None, "casualty", None, "14")]),
        # personnel
        ("Some 3,000 North Korean troops have been deployed to Kursk.",
         [(3000, None, "about", "troop", "personnel", None, "Some 3,000 North Korean troops")]),
        ("Up to 1,000 workers and fewer than 50 officers were sent to Russia.",
         [(1000, None, "less_than", "worker", "personnel", None, "Up to 1,000 workers"),
          (50, None, "less_than", "officer", "personnel", None, "fewer than 50 officers")]),
        ("North Korea sent 10,000 to 12,000 troops to Russia.",
         [(10000, 12000, "exact", "troop", "personnel", None, "10,000 to 12,000 troops")]),
        ("Ten officials attended the ceremony.", [(10, None, "exact", "official", "other", None, "Ten officials")]),
        # distance, one row for a figure restated in brackets
        ("Missiles with ranges of around 900 kilometres (550 miles) were used.",
         [(900, None, "about", "kilometre", "distance", None, "around 900 kilometres (550 miles)")]),
        ("The missile flew 1,000 kilometers and landed 300 miles away, 3-5 km off the coast.",
         [(1000, None, "exact", "kilometre", "distance", None, "1,000 kilometers"),
          (300, None, "exact", "mile", "distance", None, "300 miles"),
          (3, 5, "exact", "kilometre", "distance", None, "3-5 km")]),
        # duration
        ("The two-day visit will focus on arms deliveries.", [(2, None, "exact", "day", "duration", None, "two-day")]),
        ("The talks lasted two hours and the war has gone on for three years.",
         [(2, None, "exact", "hour", "duration", None, "two hours"),
          (3, None, "exact", "year", "duration", None, "three years")]),
        # components and other
        ("Nearly 300 foreign components were found in the debris.",
         [(300, None, "less_than", "component", "component", None, "Nearly 300 foreign components")]),
        ("Missiles hit six regions; the two countries signed several agreements.",
         [(6, None, "exact", "region", "other", None, "six regions"),
          (3, None, "vague", "agreement", "other", None, "several agreements")]),
        ("Russia paid $2.5 million, a 15% rise, and tens of thousands of roubles.",
         [(2.5e6, None, "exact", "dollar", "other", None, "$2.5 million"),
          (15, None, "exact", "percent", "other", None, "15%"),
          (20000, None, "vague", "rouble", "other", None, "tens of thousands of roubles")]),
        ("Between 5 and 7 Su-27 jets took off.",
         [(5, 7, "exact", "jet", "other", "Su-27", "Between 5 and 7 Su-27 jets")]),
    ],
)
def test_quantities_extracts_figures(nlp, text, expected):
    assert rows(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The delegation arrived in Pyongyang on May 20 and stayed until Friday, May 24.",
        "The forum will be held on Feb. 15-17 in Moscow.",
        "He last visited North Korea 24 years ago, in 2000.",
        "Thursday, 01 Feb 2024",
        "The meeting started at 10:30 and ended at 5 p.m.",
        "It is Putin's second visit and the first since the war.",
        "The Hwasong-11 is a copy of the Iskander, and COVID-19 closed the border.",
        "Su-27 and F-16 jets flew over the G7 summit.",
        "Call +7 495 123-45-67 for details.",
        "See page 5 of UN Security Council resolution 1718.",
        "A 45-year-old man aged 45 was detained.",
        "One of the officials said two of them had left.",
        "Support us with a one-time donation.",
        "Nobody is the one to blame.",
    ],
)
def test_quantities_ignores_what_is_not_a_count(nlp, text):
    assert rows(nlp, text) == []


def test_quantities_offsets_point_into_doc_text(nlp):
    doc = nlp("Intro line.\n\nSince last year, North Korea has sent about 7,000 containers to Russia.")
    (q,) = extract_quantities(doc)
    assert doc.text[q.start:q.end] == q.text == "about 7,000 containers"
    assert doc.text[q.sent_start:q.sent_end] \
        == "Since last year, North Korea has sent about 7,000 containers to Russia."


def test_quantities_skip_leaves_out_boilerplate(nlp):
    text = ("Russia fired 20 missiles at Kharkiv.\n"
            "Read also: Two Russian Iskander-M missiles kill 5 civilians, injure 16 others")
    cut = text.index("Read also")
    got = rows(nlp, text, skip=lambda offset: offset >= cut)
    assert got == [(20, None, "exact", "missile", "missile", None, "20 missiles")]


def test_quantities_mention_is_frozen():
    m = QuantityMention(1.0, None, "exact", None, "other", None, "1", 0, 1, 0, 1)
    with pytest.raises(AttributeError):
        m.value = 2.0


def test_quantities_lexicon_categories_are_known():
    known = {"missile", "container", "munition", "casualty", "personnel", "distance", "duration", "component",
             "other", "person"}
    assert {e["category"] for e in lexicon().nouns.values()} <= known
    assert set(lexicon().qualifiers.values()) <= {"exact", "about", "more_than", "less_than"}


@pytest.mark.parametrize(
    "text, expected",
    [
        # number words, partitives and coordinated modifiers
        ("Belarus said it would buy hundreds of anti-ship and anti-radar missiles.",
         [(200, "vague", "missile", "missile")]),
        ("The navy said 40 of the cruise missiles were intercepted.", [(40, "exact", "missile", "missile")]),
        ("The army fired several more of the Iranian rockets at the port.", [(3, "vague", "rocket", "missile")]),
        ("Iran has sold millions of rockets and mortar shells to Syria.", [(2e6, "vague", "rocket", "munition")]),
        ("Depots held 2 million rounds of 122-millimeter tank ammunition.", [(2e6, "exact", "round", "munition")]),
        # people: demonyms, ranks inside a force, captured soldiers, the fallen
        ("About 4,000 Cubans were working in Siberia last year.", [(4000, "about", "person", "personnel")]),
        ("The brigade has 9,000 troops, including 300 officers and two generals.",
         [(9000, "exact", "troop", "personnel"), (300, "exact", "officer", "personnel"),
          (2, "exact", "general", "personnel")]),
        ("Kyiv said its forces had captured five Russian soldiers.", [(5, "exact", "soldier", "other")]),
        ("The wall shows the names of 212 fallen soldiers.", [(212, "exact", "soldier", "casualty")]),
        ("Roughly 400 Chadians thought to be mercenaries crossed the border.",
         [(400, "about", "person", "personnel")]),
        ("Belarus deployed 800 combat engineers near Brest.", [(800, "exact", "engineer", "personnel")]),
        # a figure whose counted thing is said before it
        ("Minsk sent 700 soldiers in May, bringing the total to about 2,100.",
         [(700, "exact", "soldier", "personnel"), (2100, "about", "soldier", "personnel")]),
        ("The navy said Iran fired cruise missiles at the base and that at least one hit a hangar.",
         [(1, "more_than", "missile", "missile")]),
        ("More than 50 marines were killed, nine of them officers.",
         [(50, "more_than", "marine", "casualty"), (9, "exact", "marine", "casualty")]),
        ("The agency said 90 soldiers had been killed and the number of wounded was nearing 400.",
         [(90, "exact", "soldier", "casualty"), (400, "less_than", None, "casualty")]),
        ("Satellite photos showed a row of barges, about 40, near the dock.", [(40, "about", None, "other")]),
        ("One of the drivers said two of them had left.", []),
        # names and models are no counts
        ("The probe will fly on an Ariane 6 rocket next year.", []),
    ],
)
def test_quantities_finds_what_a_figure_counts(nlp, text, expected):
    got = [(q.value, q.qualifier, q.unit, q.category) for q in extract_quantities(nlp(text))]
    assert got == expected


def test_quantities_elliptic_figure_takes_the_previous_sentence_count(nlp):
    doc = nlp("Officials said 3,100 Chadian workers arrived in Libya in March. "
              "That is more than the roughly 2,000 who came in the whole of 2022.")
    got = [(q.value, q.unit, q.category) for q in extract_quantities(doc)]
    assert got == [(3100, "worker", "personnel"), (2000, "worker", "personnel")]


def test_quantities_time_expressions_are_no_figures_and_no_antecedents(nlp):
    doc = nlp("Kyiv said missiles had been fired at the port. Two days later, officials said at least one hit a ship.")
    got = [(q.value, q.qualifier, q.category) for q in extract_quantities(doc)]
    assert got == [(1, "more_than", "missile")]


@pytest.mark.parametrize("text", [
    "The two countries signed a new accord on fisheries.",
    "The ministers met in the capital, and the two discussed trade.",
    "All three leaders attended the ceremony.",
])
def test_quantities_definite_small_numbers_point_back_and_count_nothing(nlp, text):
    assert extract_quantities(nlp(text)) == []


def test_quantities_a_small_number_without_the_still_counts(nlp):
    found = extract_quantities(nlp("The navy sent two destroyers to the port."))
    assert [(q.value, q.unit) for q in found] == [(2.0, "destroyer")]
