"""core.extract.attribution: who made-up news sentences attribute their content to."""
import pytest

from core.extract.attribution import attribution, speech_verb, speech_verbs
from core.extract.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def first_sentence(nlp, text):
    return next(iter(nlp(text).sents))


@pytest.mark.parametrize(
    "text, source, verb",
    [
        ("According to the investigation, the Russians fired more than 20 North Korean missiles at Ukraine.",
         "the investigation", None),
        ("Since last year, North Korea has sent about 7,000 containers to Russia, according to South Korea.",
         "South Korea", None),
        ("According to US State Department spokesman Matthew Miller, the communist-ruled country has supplied "
         "dozens of ballistic missiles to Russia.", "US State Department spokesman Matthew Miller", None),
        ("The Kharkiv Prosecutor's Office stated on March 14 that Russia had fired about 50 missiles.",
         "The Kharkiv Prosecutor's Office", "stated"),
        ("Missiles with ranges of around 900 kilometres were used by Russia in attacks on Ukraine, officials said.",
         "officials", "said"),
        ("South Korea has accused Pyongyang of having provided more than one million artillery rounds to Moscow.",
         "South Korea", "accused"),
        ("Some 3,000 North Korean troops have been deployed to Kursk, said Ukraine's military intelligence chief "
         "Kyrylo Budanov.", "Ukraine's military intelligence chief Kyrylo Budanov", "said"),
        ("Seoul's unification ministry said exchanges between North Korea and Russia have become vibrant.",
         "Seoul's unification ministry", "said"),
        ("\"We do not evaluate ordinary exchanges,\" a ministry official told reporters.",
         "a ministry official", "told"),
        ("A North Korean delegation will visit Moscow on Feb 13, state news agency RIA quoted a deputy from the "
         "opposition Communist Party as saying on Thursday.", "a deputy from the opposition Communist Party", "quoted"),
        ("Yonhap reported, citing a government source, that 3,000 troops had left.", "a government source", "reported"),
        ("He was quoted by Interfax as saying that 500 shells were delivered.", "He", "quoted"),
        ("Both Moscow and Pyongyang have denied the U.S. accusations.", "Moscow and Pyongyang", "denied"),
        ("In early January, U.S. National Security Council spokesman John Kirby stated that Russia struck Ukraine.",
         "U.S. National Security Council spokesman John Kirby", "stated"),
        ("North Korea has sent shells, which Ukraine's military says were used against Kyiv.",
         "Ukraine's military", "says"),
        ("Choe will visit Russia from January 15 to 17, the Korean Central News Agency said, using the North's name.",
         "the Korean Central News Agency", "said"),
        ("Russia fired 20 missiles at Kharkiv overnight, killing 5 people.", None, None),
        ("After two failed attempts, North Korea launched a satellite, after Seoul said it got Russian help.",
         None, "said"),
        ("The missiles capable of carrying nuclear warheads were launched from Kursk.", None, None),
    ],
)
def test_attribution_finds_the_source(nlp, text, source, verb):
    sent = first_sentence(nlp, text)
    got = attribution(sent)
    got_verb = speech_verb(sent)
    assert (got.text if got is not None else None, got_verb.text if got_verb is not None else None) == (source, verb)


def test_attribution_returns_span_of_the_sentence_doc(nlp):
    doc = nlp("Kim arrived on Monday. The missiles were fired at Kyiv, the Ukrainian air force said.")
    sent = list(doc.sents)[1]
    span = attribution(sent)
    assert (span.doc is doc, span.text, doc.text[span.start_char:span.end_char]) == (
        True, "the Ukrainian air force", "the Ukrainian air force")


@pytest.mark.parametrize("lemma, kind", [("say", "statement"), ("accuse", "accusation"), ("deny", "denial"),
                                         ("report", "report"), ("quote", "report")])
def test_attribution_speech_verb_kinds(lemma, kind):
    assert speech_verbs()[lemma] == kind


def test_attribution_speech_verb_kinds_are_known():
    assert set(speech_verbs().values()) == {"statement", "accusation", "denial", "report"}


@pytest.mark.parametrize(
    "text, source, verb",
    [
        # "it said" names a source; "it is said" does not
        ("All of the boats were sunk, it said.", "it", "said"),
        # a verb that puts a figure on something states a claim
        ("In May, Estonia put the number of recruits at more than 4,000.", "Estonia", "put"),
        ("The ministry's data show that 2,000 workers left.", "The ministry's data", "show"),
        # "X estimated that ...", misparsed as a noun phrase, still has X
        ("Finnish military intelligence estimated in June that 600 tanks had been lost.",
         "Finnish military intelligence", "estimated"),
        # sources inside an institution
        ("According to sources in Latvia's border guard, 40 people crossed.", "sources in Latvia's border guard", None),
    ],
)
def test_attribution_claim_verbs_and_sources(nlp, text, source, verb):
    sent = first_sentence(nlp, text)
    got, got_verb = attribution(sent), speech_verb(sent)
    assert (got.text if got is not None else None, got_verb.text if got_verb is not None else None) == (source, verb)


@pytest.mark.parametrize("text, expected", [
    ("Estonia put the total at 300.", True),
    ("Estonia put pressure on Riga.", False),
    ("KCNA released images of the launch.", True),
    ("Kyiv released 30 prisoners.", False),
])
def test_attribution_is_claim_verb(nlp, text, expected):
    from core.extract.attribution import is_claim_verb
    verb = next(t for t in nlp(text) if t.pos_ == "VERB")
    assert is_claim_verb(verb) is expected
