"""Who a sentence attributes its content to: the claimant or speaker.

`attribution(sent)` returns the noun phrase the sentence names as the source of what it says:
"according to X", the subject of a speech verb ("X said", "said X", "X accused ..."), the
person an outlet quotes ("RIA quoted a deputy as saying" -> "a deputy"). `speech_verb(sent)`
returns the reporting verb itself. Both read the parse of an already parsed sentence; the
speech verbs are in core/data/speech_verbs.json.
"""
from __future__ import annotations

import functools
import json

from core.data import data_path

SPEECH_VERBS_PATH = data_path("speech_verbs.json")

# Dependents that belong to a source's noun phrase: "US State Department spokesman Matthew
# Miller", "the Kharkiv Prosecutor's Office", "South Korea's representative to the UN, Hwang".
NP_DEPS = frozenset({"det", "compound", "flat", "amod", "poss", "case", "nmod", "appos", "nummod",
                     "quantmod", "conj", "cc", "punct", "predet", "npadvmod"})
# Prepositions whose phrase still names the source: "the governor of Primorsky Krai",
# "a deputy from the Communist Party", "South Korea's representative to the UN".
NP_PREPS = frozenset({"of", "from", "to", "at", "in", "within"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")


@functools.lru_cache(maxsize=1)
def speech_verbs() -> dict[str, str]:
    """Speech verb lemma -> kind (statement, accusation, denial, report)."""
    return json.loads(SPEECH_VERBS_PATH.read_text(encoding="utf-8"))["verbs"]


@functools.lru_cache(maxsize=1)
def _estimate_words() -> tuple[frozenset, frozenset, frozenset]:
    data = json.loads(SPEECH_VERBS_PATH.read_text(encoding="utf-8"))
    return (frozenset(data["estimate_verbs"]), frozenset(data["estimate_objects"]),
            frozenset(data["document_nouns"]))


def is_claim_verb(verb) -> bool:
    """True when `verb` states a claim: a speech verb ("said", "estimated"), a verb that puts a
    figure on something ("put the total at", "put the number of troops at"), or a document
    that shows something ("the ministry's data show")."""
    lemma = verb.lemma_.lower()
    if lemma in speech_verbs():
        return True
    estimate_verbs, objects, documents = _estimate_words()
    def named(c, words) -> bool:
        return c.lemma_.lower() in words or c.lower_ in words  # "data" may be lemmatised "datum"

    if lemma in estimate_verbs:
        return any(c.dep_ == "dobj" and named(c, objects) for c in verb.children)
    if lemma in ("show", "suggest", "indicate", "reveal"):
        return any(c.dep_ == "nsubj" and named(c, documents) for c in verb.children)
    if lemma in ("release", "publish", "issue", "post", "share"):  # "KCNA released images of ..."
        return any(c.dep_ == "dobj" and named(c, documents) for c in verb.children)
    return False


def is_document_noun(tok) -> bool:
    """True when `tok` names a document or a report that can be the source of a figure."""
    return tok.lemma_.lower() in _estimate_words()[2] or tok.lower_ in _estimate_words()[2]


def _np_tokens(tok, out: set[int]) -> None:
    """Adds to `out` the indices of `tok`'s noun phrase: itself and its NP dependents."""
    out.add(tok.i)
    for child in tok.children:
        if child.dep_ == "appos" and not _closed(child):
            continue  # "According to X, the country has ...": the model's false apposition
        if child.dep_ in NP_DEPS or (child.dep_ == "prep" and child.lower_ in NP_PREPS):
            if child.dep_ == "poss" or child.dep_ == "prep":
                out.update(t.i for t in child.subtree)
            else:
                _np_tokens(child, out)


def _closed(appos) -> bool:
    """True when an apposition ends where a phrase may end: at punctuation or the sentence's end."""
    nxt = appos.right_edge.i + 1
    return nxt >= appos.sent.end or appos.doc[nxt].is_punct


def noun_phrase(tok):
    """The full noun phrase headed by `tok` as a Span, trimmed of punctuation at its ends."""
    idx: set[int] = set()
    _np_tokens(tok, idx)
    doc = tok.doc
    # punctuation hanging from the head (a ROOT noun's full stop) does not stretch the phrase
    core = [i for i in idx if not doc[i].is_punct] or sorted(idx)
    start, end = min(core), max(core) + 1
    while start < end and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
        end -= 1
    return doc[start:end]


def subject_of(verb):
    """The token that says `verb`: its subject, the agent of a passive, or a conjoined verb's subject."""
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    # "it said" names a source; "it is said", "there are" do not
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.lower_ != "there"
                and not (c.lower_ == "it" and c.dep_ == "nsubjpass")]
    if not subjects and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") \
            and any(c.dep_ == "ccomp" for c in verb.children):
        return verb.head  # "South Korean intelligence estimated that ...", parsed as a noun phrase
    if not subjects and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head)
    if not subjects:
        return None
    # "state news agency RIA quoted": the model may mark both nouns as subjects; the nearer speaks
    return min(subjects, key=lambda c: abs(c.i - verb.i))


def _quoted(verb):
    """For an outlet's reporting verb, the person it quotes or cites ("quoted a deputy as saying")."""
    verbs = speech_verbs()
    if verbs.get(verb.lemma_.lower()) != "report":
        return None
    if verb.lemma_.lower() in ("quote", "cite"):
        # "He was quoted by Interfax as saying": the subject speaks, the agent reports
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        if passive or objs:
            return (passive or objs)[0]
    # "Yonhap reported, citing a government source, that ...": the parse hangs "citing" anywhere
    for tok in verb.sent:
        if tok.tag_ == "VBG" and tok.lemma_.lower() in ("cite", "quote"):
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if objs:
                return objs[0]
    return None


def speaker_of(verb):
    """The token at the head of who says what `verb` reports (its subject, the agent of a
    passive, the person an outlet quotes), or None."""
    return _quoted(verb) or subject_of(verb)



def _depth(tok) -> int:
    return sum(1 for _ in tok.ancestors)


def speech_verb(sent):
    """The sentence's reporting verb (said, announced, accused...) that names a speaker, or None.

    Among several, the one highest in the parse (the one that governs the sentence's content),
    then the first.
    """
    found = speech_verbs_in(sent)
    return found[0] if found else None


def speech_verbs_in(sent) -> list:
    """Every reporting verb of `sent` that names a speaker, highest in the parse first, then in
    text order. "X are believed to be Y" is no report (the verb raises its subject)."""
    candidates = [t for t in sent if t.pos_ in ("VERB", "AUX") and is_claim_verb(t)
                  and speaker_of(t) is not None and not _raising(t)]
    return sorted(candidates, key=lambda t: (_depth(t), t.i))


def _raising(verb) -> bool:
    """True for "believed to be", "said to have": the subject is talked about, not talking."""
    doc = verb.doc
    return verb.i + 2 < len(doc) and doc[verb.i + 1].lower_ == "to" and doc[verb.i + 2].lemma_ in ("be", "have")


def according_to(sent):
    """The noun phrase of "according to X" in `sent`, or None."""
    for tok in sent:
        if tok.lower_ != "according" or tok.i + 1 >= sent.end or sent.doc[tok.i + 1].lower_ != "to":
            continue
        to = sent.doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if objs:
            return noun_phrase(objs[0])
        # the parse sometimes hangs the object elsewhere: take the first noun after "to"
        for t in sent.doc[to.i + 1:sent.end]:
            if t.pos_ in ("NOUN", "PROPN", "PRON"):
                return noun_phrase(t)
    return None


def attribution(sent):
    """The noun phrase (a Span) that `sent` says its content comes from, or None.

    A speech verb at the top of the sentence ("..., officials said.", "X accused Y of ...")
    wins; then "according to X"; then a speech verb lower in the parse. A reporting outlet
    gives way to the person it quotes. The span may name no actor ("the investigation",
    "him"): the caller decides.
    """
    verb = speech_verb(sent)
    if verb is not None and _depth(verb) <= 1 and verb.dep_ in ("ROOT", "conj", "parataxis"):
        return noun_phrase(speaker_of(verb))
    source = according_to(sent)
    if source is not None:
        return source
    # a speech verb in an adverbial clause ("after Seoul said ...") governs no other content
    if verb is not None and verb.dep_ != "advcl":
        return noun_phrase(speaker_of(verb))
    return None
