"""Typed events from a parsed article: who did what, with or to whom, when and where.

A trigger word (verb or eventive noun, from `data/event_triggers.json`) opens an event; the
dependency parse gives its actors (subject = source, object = target), its places (to/from/in)
and the date expressions it governs. Everything here is pure: a Doc, the article's mentions
and dates in, `EventMention`s out.
"""
from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from core.data import data_path
from core.extract.dates import MONTHS, resolve_month
from core.extract.gazetteer import load_gazetteer
from core.extract.nlp import doc_text, sentences, span_text, token_forms, word_count
from core.model import DateMention, Mention
from core.vocab import Precision, precision_rank

if TYPE_CHECKING:  # spaCy is imported where the model is loaded (core.extract.nlp), not here
    from spacy.tokens import Span, Token

DATA = data_path("event_triggers.json")
COARSE = frozenset({Precision.MONTH, Precision.YEAR})  # dates known only to the month or year

# Dependency labels under which a clause is content (of a statement) or a separate event,
# not an argument of the trigger: their actors are not the trigger's actors.
CLAUSAL = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj"}
SUBJECT = {"nsubj", "agent", "poss", "csubj"}
OBJECT = {"dobj", "dative", "attr", "oprd", "nsubjpass"}  # "X was received by Y": X is acted upon
TARGET_PREPS = {"to", "at", "against", "on", "with", "into", "toward", "towards"}
DEST_PREPS = {"to", "for", "into", "toward", "towards"}
# Where troops, goods or people are moved to ("moved to the region", "shipped to the Far East").
MOVED_TO_PREPS = {"to", "into", "toward", "towards"}
# Types whose places make their states parties when the text names no actor: a strike on a city
# is against its state, a cargo leaving a port leaves its country.
PLACE_PARTY_TYPES = {"strike", "transfer", "transport", "other", "visit"}
LOC_PREPS = {"in", "at", "on", "near", "inside"}
DEPART_VERBS = {"leave", "depart"}


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    """The trigger lexicon (lemma -> type, markers), read once."""
    with DATA.open(encoding="utf-8") as f:
        data = json.load(f)
    for cls, words in data["moved_things"].items():
        if not cls.startswith("_"):
            data["moved_things"][cls] = frozenset(words)
    data["phrasal_exclusions"] = {k: frozenset(v) for k, v in data["phrasal_exclusions"].items()}
    for key in ("strong_transfer", "route_verbs", "aimed_verbs", "harm_verbs", "time_words", "weapon_words",
                "document_nouns", "freight_words", "denial_verbs", "source_nouns", "light_verbs",
                "noun_needs_context", "future_markers", "alleged_markers", "denial_markers", "habitual_markers"):
        data[key] = frozenset(data[key])
    data["time_words"] |= {name.lower() for name in MONTHS}
    return data


@dataclass
class EventMention:
    """One event a trigger word reports, with its date, status, actors and places (one events row)."""

    type: str
    trigger: Token
    sent: Span
    # datetime.date: inside the class body `date` names the field, not the type
    date: datetime.date | None = None
    precision: str | None = None
    status: str = "reported"
    actors: list[tuple[str, str]] = field(default_factory=list)  # (canonical name, role)
    origin: str | None = None
    destination: str | None = None
    location: str | None = None
    # True when the date is the publication date assumed for present-tense news, not a date
    # the text gives.
    soft_date: bool = False
    date_end: datetime.date | None = None  # last day of the period the event spans, if it spans one
    since: bool = False  # the period runs from `date` up to the time of telling ("since May")
    # (start, end) of every sentence that tells this event, the first one's first; filled by
    # `merge_retellings` when it folds another mention into this one.
    evidence: list[tuple[int, int]] = field(default_factory=list)

    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of every sentence telling the event: its own sentence, then the others."""
        own = [(self.sent.start_char, self.sent.end_char)] if self.sent is not None else []
        return own + [s for s in self.evidence if s not in own]

    @property
    def cameo(self) -> str:
        """The CAMEO root code of the event type ("00" when it has none)."""
        return lexicon()["cameo"].get(self.type, "00")


def trigger_type(token) -> str | None:
    """The event type `token` signals, or None."""
    lex = lexicon()
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        if token.dep_ == "amod":
            return None  # "the visiting delegation": a description, not an event
        # "launched missiles at Kyiv" is a strike; "launched a satellite" is not.
        if lemma in lex["aimed_verbs"] and (
                any(c.dep_ == "prep" and c.lower_ in ("at", "on", "against")
                    and any(g.dep_ == "pobj" and g.lower_ not in lex["time_words"] and not g.like_num
                            and g.pos_ != "NUM" and _noun_class(g) not in ("materiel", "vehicles")
                            for g in c.children)
                    for c in token.children)
                or any(c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() in lex["harm_verbs"]
                       for c in token.children)):
            return "strike"  # aimed at a target, or harming one: not a test launch
        if lemma == "use" and any(_noun_class(c) == "materiel" and c.lemma_.lower() in lex["weapon_words"]
                                  for c in token.children if c.dep_ in ("dobj", "nsubjpass")):
            return "strike"  # "had used 24 missiles since December": weapons used are fired
        if lemma == "target" and not any(t.lemma_.lower() in lex["weapon_words"] | lex["harm_verbs"]
                                         for t in token.sent):
            return "other"  # "Washington targeted the carrier" with sanctions, not with weapons
        if lemma == "lead" and any(c.dep_ == "dobj" and c.lemma_.lower() in ("delegation", "mission", "team")
                                   and any(p.lower_ == "to" for p in [*c.children, *token.children] if p.dep_ == "prep")
                                   for c in token.children):
            return "visit"  # "led a delegation to Pyongyang"
        particles = {c.lower_ for c in token.children if c.dep_ in ("prep", "prt")}
        phrasal = lex["phrasal_types"].get(lemma, {})
        if particles & set(phrasal):
            kind = phrasal[min(particles & set(phrasal))]
            return refine_type(token, kind)
        # "provides for assistance", "carried out an attack": another verb than the bare one.
        if particles & lex["phrasal_exclusions"].get(lemma, frozenset()):
            return None
        kind = lex["verbs"].get(lemma)
        return refine_type(token, kind) if kind else None
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        if token.pos_ == "PROPN" and token.ent_type_ in ("ORG", "FAC", "GPE", "WORK_OF_ART", "LAW", "EVENT"):
            return None  # "National Intelligence Service", "Moscow Conference": part of a name
        kind = lex["nouns"].get(lemma) or lex["nouns"].get(token.lower_)
        return refine_type(token, kind) if kind else None
    return None


@functools.lru_cache(maxsize=1)
def _trigger_words() -> frozenset[str]:
    """Every lower-cased lemma or word for which `trigger_type` can give a type: the verbs it
    tests by name and every verb and noun of the lexicon."""
    lex = lexicon()
    return frozenset({"use", "target", "lead"} | lex["aimed_verbs"] | lex["phrasal_types"].keys()
                     | lex["verbs"].keys() | lex["nouns"].keys())


CLASS_PRIORITY = ("materiel", "personnel", "goods", "vessels", "vehicles", "information", "documents", "people")


def _noun_class(t) -> str | None:
    """The class of one noun token (see `moved_things`), looking through "number of",
    "containers of" ... and at its modifiers ("arms deliveries", "air-defence equipment")."""
    things = lexicon()["moved_things"]
    lemma, low = t.lemma_.lower(), t.lower_
    if lemma in things["through_of"] or low in things["through_of"] or t.pos_ == "NUM":
        of = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
        # "a pair of hunting dogs" is sometimes parsed as "of" + a gerund and its object
        inner = [g for c in of for g in c.children if g.dep_ == "pobj"] + \
            [d for c in of for g in c.children if g.dep_ == "pcomp" for d in g.children if d.dep_ == "dobj"]
        found = _moved_class(inner)
        if found:
            return found
    for cls in CLASS_PRIORITY:
        if lemma in things[cls] or low in things[cls]:
            return cls
    words = {lemma, low} | {c.lemma_.lower() for c in t.children if c.dep_ in ("compound", "amod")}
    for cls in ("materiel", "personnel", "goods"):
        if words & things[cls]:
            return cls
    return "people" if t.ent_type_ == "PERSON" else None


def _moved_class(nouns) -> str | None:
    """The class (materiel, personnel, goods, vessels, vehicles, information, documents, people)
    of `nouns` (tokens and their conjuncts): the first in CLASS_PRIORITY any of them has, so
    "presented the leader with a pair of dogs" is about the dogs."""
    found = {_noun_class(t) for noun in nouns for t in [noun, *(c for c in noun.children if c.dep_ == "conj")]}
    return next((cls for cls in CLASS_PRIORITY if cls in found), None)


def moved_objects(token) -> list:
    """The nouns naming what `token` (a transfer verb or noun) moves or hands over: its
    object, passive subject, "with" object ("supplied Russia with shells"), the noun a
    participle or relative clause describes ("troops sent to Russia", "the shells it shipped"),
    a noun trigger's "of" object or compound ("deliveries of oil", "arms shipments")."""
    out = []
    for c in token.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in ("with", "of"):
            out += [g for g in c.children if g.dep_ == "pobj"]
        if c.dep_ in ("dobj", "dative") and token.pos_ == "VERB":
            # "presented the premier with a pair of dogs": "with" may hang on the recipient
            out += [g for p in c.children if p.dep_ == "prep" and p.lower_ == "with"
                    for g in p.children if g.dep_ == "pobj"]
        elif c.dep_ == "compound" and token.pos_ != "VERB":
            out.append(c)
    if token.pos_ == "VERB" and token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN"):
        out.append(token.head)
    return out


def mover(token):
    """The noun that moves for a movement verb: its subject, or the noun a participle or
    relative clause describes ("tankers arriving at the port"); None when unknown."""
    subj = subject_of(token)
    if subj is not None:
        return subj
    if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.i != token.i:
        return mover(token.head)  # "the shells left on May 2, travelling by rail"
    return None


def refine_type(token, kind: str | None) -> str | None:
    """`kind` corrected by what the trigger moves (see `moved_things` in the lexicon), or None
    when a weak transfer verb hands over nothing an analyst counts ("gave no figure",
    "provided a tour")."""
    lex = lexicon()
    lemma = token.lemma_.lower()
    if kind == "transfer" or lemma == "receive":
        cls = _moved_class(moved_objects(token))
        if cls == "materiel":
            return "transfer"
        if cls in ("personnel", "goods", "vessels", "vehicles"):
            return "other"  # troops deployed, oil shipped, animals donated
        if cls == "people" and lemma in ("receive", "greet", "welcome"):
            return "meeting"  # "Kim received the delegation", "was received by Kim"
        if cls == "information" and token.pos_ == "VERB":
            return "statement"  # "gave the paper an estimate", "provided details"
        if cls == "documents" and token.pos_ == "VERB" and any(
                c.dep_ in ("dative", "prep") and c.lower_ != "of" for c in token.children):
            return "meeting"  # "handed a letter to the envoy": a diplomatic exchange
        if lemma == "receive" and token.pos_ == "VERB" and token.dep_ != "relcl" and \
                any(c.dep_ == "agent" for c in token.children):
            return "meeting"  # "he was received by the leader"
        if lemma in lex["strong_transfer"] or token.lower_ in lex["strong_transfer"]:
            return "transfer"
        return None
    if kind == "visit" and token.pos_ == "VERB":
        who = mover(token)
        cls = _moved_class([who]) if who is not None else None
        if cls == "materiel" or _moved_class([c for c in token.children if c.dep_ == "dobj"]) == "materiel":
            return "transfer"  # "munitions left the North by train", "aircraft flew missile parts"
        if cls == "vehicles":
            if lemma in lex["route_verbs"]:
                return "transport"  # "a train crossed into Russia"
            if any(c.lemma_.lower() in lex["freight_words"] for c in who.children):
                return "other"  # a cargo plane landing carries goods, not visitors
            return kind  # "his train left Pyongyang": the leader's journey
        if cls in ("personnel", "goods", "vessels"):
            return "other"  # troops arriving, a tanker calling at a port
    return kind


def ancestors_and_self(token):
    """`token`, then its syntactic heads up to the root."""
    yield token
    yield from token.ancestors


class Trigger(NamedTuple):
    """A trigger word's event type; `needs_context` for a noun that is an event only with a date or place."""

    type: str
    needs_context: bool = False


class Owner(NamedTuple):
    """Where the walk up from a date word ended: at `trigger` (None when no trigger owns the date)."""

    trigger: Token | None
    at_root: bool = False


def owning_trigger(token, triggers: dict) -> Owner:
    """The trigger that governs `token` (a word of a date expression), or None.

    Walks up the parse: the first trigger met owns it; a light verb ("paid a visit on May 2")
    hands it to the trigger noun it governs; a clause that is not an event ("noting that it
    would stay until May 24") keeps its date to itself, so the date goes to no event.
    `Owner.at_root` is True when the walk reached the top without meeting any clause.
    """
    lex = lexicon()
    for t in ancestors_and_self(token):
        if t.i in triggers:
            return Owner(t)
        if t.pos_ in ("VERB", "AUX"):
            if t.lemma_.lower() in lex["light_verbs"]:
                noun = next((c for c in t.children if c.dep_ in ("dobj", "attr") and c.i in triggers), None)
                if noun is not None:
                    return Owner(noun)
            # "used missiles on Tuesday as part of an attack", "the forum will be held on May 2":
            # a verb that is no event hands its date to the one event noun among its arguments.
            nouns = [a for a in argument_tokens(t, triggers) if a.i in triggers and a.pos_ != "VERB"
                     and a.lemma_.lower() not in lex["moved_things"]["vehicles"]]
            if len(nouns) == 1:
                return Owner(nouns[0])
            # "an interview published on Monday", "a report dated April 25": the date of the
            # document is the date of the statement it carries.
            if t.dep_ == "acl" and t.head.lemma_.lower() in lex["document_nouns"]:
                continue
            # "Reacting on the day of the vote, the spokesman called ...": a participle clause
            # that is no event happens when its head does.
            if t.dep_ == "advcl" and t.tag_ in ("VBG", "VBN"):
                continue
        if t.dep_ in CLAUSAL and t.pos_ in ("VERB", "AUX"):
            return Owner(None)
    return Owner(None, at_root=True)


def argument_tokens(trigger, triggers: dict):
    """Tokens of `trigger`'s own arguments: its subtree minus clauses that are other events."""
    out = []
    stack = list(trigger.children)
    while stack:
        t = stack.pop()
        if t.dep_ in CLAUSAL or (t.i in triggers and t.pos_ == "VERB") or t.lower_ == "according":
            continue  # "according to X" names a source, not a party to the event
        out.append(t)
        stack.extend(t.children)
    return out


def described_noun_phrase(verb) -> set[int]:
    """Token indices of the noun phrase a participle or relative clause describes, without
    the clause ("a Security Council resolution adopted in 2017", "the panel, whose mandate
    expires"): the actors named there take part in the described event. Empty otherwise."""
    if verb.pos_ != "VERB" or verb.dep_ not in ("acl", "relcl") or verb.head.pos_ not in ("NOUN", "PROPN"):
        return set()
    clause = {t.i for t in verb.subtree}
    return {t.i for t in verb.head.subtree if t.i not in clause}


def subject_of(verb):
    """`verb`'s subject, looking through xcomp/conj chains ("planned to travel", "met and signed")."""
    for t in ancestors_and_self(verb):
        subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            # "that munitions had left": a mis-parsed relative pronoun beside the real subject
            return next((c for c in subjects if c.tag_ not in ("WDT", "WP")), subjects[0])
        if t.dep_ not in ("xcomp", "conj", "pcomp"):
            return None
    return None


def role_of(token, trigger) -> str:
    """source, target or participant: the role of the argument containing `token`."""
    t = token
    while t.head.i != trigger.i and t.head.i != t.i:
        t = t.head
    if t.dep_ in SUBJECT:
        return "source"
    if t.dep_ in OBJECT:
        return "target"
    if t.dep_ == "prep" and t.lower_ in TARGET_PREPS:
        return "target"
    return "participant"


def governing_preposition(token):
    """The preposition `token` is the object of, with the word it attaches to, or (None, None)."""
    t = token
    while t.dep_ in ("compound", "conj", "appos", "amod") and t.head.i != t.i:
        t = t.head
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.dep_ == "pobj":
        return governing_preposition(t.head.head)  # "in the port city of Wonsan"
    if t.dep_ == "pobj":
        return t.head.lower_, t.head.head
    return None, None


def tense(token) -> str | None:
    """past, future or None (present or unknown) for a trigger, from its auxiliaries and head."""
    lex = lexicon()
    if token.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return "past"  # "signed", "met": a finite past form, whatever clause governs it
    if token.tag_ == "VBN" and token.dep_ == "acl":
        return "past"  # "the treaty signed in June": done before it is spoken of
    chain = [token, *[t for t in token.ancestors if t.pos_ in ("VERB", "AUX")][:2]]
    for t in chain:
        words = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass", "mark")} | {t.lower_, t.lemma_.lower()}
        habitual = t.head.lemma_.lower() == "use" and t.head.tag_ in ("VBD", "VBN")  # "used to fly"
        if words & lex["future_markers"] or ("to" in words and t.dep_ == "xcomp" and not habitual):
            return "future"
        if t is token and any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("is", "are") for c in t.children) \
                and any(c.lower_ == "to" for c in t.children):
            return "future"
    if token.pos_ == "VERB":
        if "Past" in token.morph.get("Tense") or any("Past" in c.morph.get("Tense") for c in token.children
                                                     if c.dep_ in ("aux", "auxpass")):
            return "past"
        return None
    head = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
    return tense(head) if head is not None else None


def is_news_of_the_day(token) -> bool:
    """True for a present-perfect arrival or departure ('has arrived', 'have left for'): news of
    the day the story is published. Other undated verbs ('has accused', 'denies') tell of no day
    at all, so they stay undated."""
    if token.pos_ != "VERB" or token.tag_ != "VBN":
        return False
    children = list(token.children)
    if any(c.lower_ in lexicon()["habitual_markers"] or c.dep_ == "neg" for c in children):
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in children)


def is_source_attribution(trigger, sent_mentions) -> bool:
    """True when a speech verb only names where the sentence's news comes from: an outlet or a
    document says it after the content ("..., the agency reported", "..., the report says",
    "..., it said" of a report) rather than being the news. `sent_mentions` are the sentence's
    (mention, span) pairs."""
    subj = subject_of(trigger)
    content = [c for c in trigger.children if c.dep_ in ("ccomp", "parataxis")]
    trailing = trigger.dep_ == "parataxis" or (content and all(c.i < trigger.i for c in content))
    if subj is None or not trailing:
        return False
    if subj.lemma_.lower() in lexicon()["source_nouns"]:
        return True
    return any(m.actor is not None and m.actor.type == "media" and span.start <= subj.i < span.end
               for m, span in sent_mentions)


HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
NEGATIVE_WORDS = frozenset({"not", "n't", "never", "no", "neither", "nor", "nobody", "none"})


def negated(token) -> bool:
    """True when `token`'s clause is negated ("did not respond", "Neither side said", "gave no
    details")."""
    for c in token.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            return True
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (c.lower_ in NEGATIVE_WORDS or any(
                d.dep_ in ("det", "neg", "preconj") and d.lower_ in NEGATIVE_WORDS for d in c.children)):
            return True
    return False


def is_negated_or_hypothetical(trigger) -> bool:
    """True when the text does not say the event happened: the trigger is negated ("Iran has not
    delivered any", "did not respond to requests for comment"), sits in a condition or an open
    question ("if they allowed Kyiv to strike", "whether new deals were signed"), or is the
    content of a negated saying ("did not say whom he would meet"). A negated denial ("did not
    deny the reports") is still a statement."""
    lex = lexicon()
    if negated(trigger) and trigger.lemma_.lower() not in lex["denial_verbs"]:
        return True
    for t in ancestors_and_self(trigger):
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in t.children):
            return True
        if t is not trigger and t.pos_ == "VERB" and negated(t) and lex["verbs"].get(t.lemma_.lower()) == "statement" \
                and t.lemma_.lower() not in lex["denial_verbs"]:
            return True
    return False


def join_periods(sent, dates: list[DateMention]) -> list[DateMention]:
    """`dates` (one trigger's resolved dates, in text order) with month- or year-precise dates
    joined by "and"/"to" ("in October and November", "between August 2023 and January 2024")
    made one period from the first to the end of the last; a list of days ("on December 30 and
    January 2") stays separate events."""
    out: list[DateMention] = []
    text = doc_text(sent.doc)
    for d in dates:
        prev = out[-1] if out else None
        gap = text[prev.end:d.start].strip().lower() if prev is not None else None
        # `dates` are resolved (date not None); the check tells the type checker so
        if prev is not None and prev.precision in COARSE and d.precision in COARSE \
                and gap in ("and", "to", "through", "until", "-", "\u2013") and d.date is not None:
            last = d.end_date or _period_end(d.date, d.precision)
            out[-1] = DateMention(prev.start, d.end, text[prev.start:d.end], prev.date, prev.precision, last)
        else:
            out.append(d)
    return out


def _period_end(d: date, precision: str) -> date:
    """Last day of the month or year that `d` (its first day) stands for."""
    if precision == Precision.YEAR:
        return date(d.year, 12, 31)
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def status_of(trigger, type_: str, when: str | None) -> str:
    """planned, alleged, denied or reported, from the words around the trigger."""
    lex = lexicon()
    near = list(trigger.children) + list(trigger.ancestors)[:3]
    words = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    if type_ != "statement":
        if words & {"deny", "denied", "reject", "rejected"} or (
                any(c.dep_ == "neg" for c in trigger.children)):
            return "denied"
        if words & lex["alleged_markers"]:
            return "alleged"
    if when == "future":
        return "planned"
    return "reported"


def _repeats_governor(noun, kind, found) -> bool:
    """True when a trigger of the same type governs `noun` directly or through a preposition."""
    heads = [noun.head]
    if noun.head.dep_ == "prep" or noun.dep_ == "pobj":
        heads.append(noun.head.head)
    return any(h.i != noun.i and found.get(h.i) == kind for h in heads)


def find_triggers(sent) -> dict[int, Trigger]:
    """token index -> Trigger (event type, needs context) for the triggers of sentence `sent`, merged where one event is
    told twice ('quoted X as saying', 'made an official trip')."""
    lex = lexicon()
    found = {}
    words = _trigger_words()
    lemmas, lowers = token_forms(sent.doc)
    for i in range(sent.start, sent.end):
        if lemmas[i] not in words and lowers[i] not in words:
            continue  # trigger_type needs one of these: most tokens are passed over unbuilt
        kind = trigger_type(sent.doc[i])
        if kind:
            found[i] = kind
    for i, kind in list(found.items()):
        t = sent.doc[i]
        # "quoted a deputy as saying": one statement, not two. A noun trigger right under a
        # trigger of its own type repeats or names it ("visited ... visit", "a treaty on
        # strategic partnership").
        if (kind == "statement" and t.dep_ in ("xcomp", "pcomp", "advcl")
                and any(a.i in found and found[a.i] == "statement" for a in list(t.ancestors)[:2])) \
                or (t.pos_ != "VERB" and _repeats_governor(t, kind, found)):
            del found[i]
    return {i: Trigger(kind, sent.doc[i].pos_ != "VERB" and sent.doc[i].lemma_.lower() in lex["noun_needs_context"])
            for i, kind in found.items()}


def governing_tense(token) -> str | None:
    """The tense of the verb a date expression hangs from (see `tense`)."""
    verb = next((t for t in ancestors_and_self(token) if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return None
    when = tense(verb)
    if when is None and any(c.dep_ == "conj" and c.tag_ == "VBD" for c in verb.children):
        return "past"  # "On Wednesday, the minister co-chairs ..., oversaw ...": the verbs it joins tell
    if when is None and verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.head.i != verb.i:
        return governing_tense(verb.head)  # "wrote ..., citing a report received on Monday": the head's time
    return when


def resolve_sentence_dates(sent, ref, find_dates) -> list[DateMention]:
    """The date expressions of `sent`, each resolved with the tense of the verb it hangs from.

    "RIA quoted a deputy as saying a delegation will visit on Feb 13": Feb 13 is in the future
    of the publication date although the sentence's main verb is past.
    """
    doc = sent.doc
    by_tense: dict[str | None, list[DateMention]] = {None: find_dates(span_text(sent), ref, offset=sent.start_char)}
    out = []
    for d in by_tense[None]:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        when = governing_tense(span.root) if span is not None and len(span) else None
        if when is not None and d.precision is not None:
            if when not in by_tense:
                # The whole sentence again: a bare "December" is only a date in its context.
                by_tense[when] = find_dates(span_text(sent), ref, offset=sent.start_char, tense=when)
            d = next((a for a in by_tense[when] if (a.start, a.end) == (d.start, d.end) and a.date), d)
        out.append(d)
    return out


def _date_owners(sent, triggers, dates: list[DateMention]):
    """trigger index -> the dates it governs (a date with no trigger above it goes to the nearest)."""
    owners: dict[int, list[DateMention]] = {}
    doc = sent.doc
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        owner, at_root = owning_trigger(span.root, triggers)
        if at_root:
            # Attached to a main verb that is no event: the nearest trigger of the main clause is
            # the best guess; one inside a clause describing a noun ("soldiers sent to Russia")
            # tells of another time.
            main = [i for i in triggers if not any(a.dep_ in ("acl", "relcl") for a in ancestors_and_self(doc[i]))]
            owner = doc[min(main, key=lambda i: abs(i - span.root.i))] if main else None
        if owner is not None:
            owners.setdefault(owner.i, []).append(d)
    return owners


def is_possessor_of_speaker(m, span, people) -> bool:
    """True when person mention `m` (its token `span`) only owns another person named in the
    same phrase ("Putin's adviser Yuri Ushakov", "Kim's sister Kim Yo Jong"): the owner is not
    the one who speaks. `people` are the token spans of the person mentions around."""
    if m.actor is None or m.actor.type != "person" or span.root.dep_ != "poss":
        return False
    owned = span.root.head
    phrase = {t.i for t in owned.subtree} | {t.i for t in owned.head.subtree if owned.dep_ == "compound"}
    return any(other.start != span.start and other.root.i in phrase for other in people)


MONTH_NUMBERS = {name.lower(): n for name, n in MONTHS.items()}


def month_modifier(trigger, ref: date | None) -> date | None:
    """First day of the month a noun trigger is named by ("the September summit", "their June
    meeting"), the latest such month not after `ref`; None when there is none."""
    if trigger.pos_ == "VERB" or ref is None:
        return None
    for c in trigger.children:
        if c.dep_ in ("compound", "nmod", "npadvmod") and c.lower_ in MONTH_NUMBERS and c.i < trigger.i:
            return resolve_month(MONTH_NUMBERS[c.lower_], ref, "past")
    return None


def struck_places(location, arg_mentions) -> list:
    """`location` and the places coordinated with it ("on Kyiv and Kharkiv"), in text order;
    [location] when there are none."""
    if location is None:
        return [None]
    spans = {m.name: span for m, span in arg_mentions if m.kind == "place"}
    if location not in spans:
        return [location]
    root = spans[location].root
    while root.dep_ == "conj":
        root = root.head
    group = {t.i for t in [root, *root.subtree] if t.i == root.i or t.dep_ == "conj"}
    names = [m.name for m, span in sorted(arg_mentions, key=lambda p: p[1].start)
             if m.kind == "place" and span.root.i in group]
    return list(dict.fromkeys(names)) or [location]


def _places_of(trigger, type_, arg_mentions):
    """(origin, destination, location) names for a trigger from its place and state mentions,
    given as (mention, token span) pairs."""
    origin = destination = location = None
    for m, span in arg_mentions:
        if m.kind == "actor" and (m.actor is None or m.actor.type != "state"):
            continue
        root = span.root
        prep, attached = governing_preposition(root)
        name = m.name
        if prep == "from":
            origin = origin or name
        elif prep == "between" and type_ in ("transport", "transfer"):
            if origin is None:
                origin = name
            else:
                destination = destination or name
        elif prep in DEST_PREPS and type_ in ("visit", "transfer", "transport"):
            destination = destination or name
        elif prep in MOVED_TO_PREPS and type_ == "other" and attached is not None \
                and trigger.i in (attached.i, attached.head.i):
            destination = destination or name  # "troops moved to the region", "sent engineers to X"
        elif prep in LOC_PREPS:
            if type_ == "visit" and trigger.lemma_.lower() in ("arrive", "land"):
                destination = destination or name
            elif m.kind == "place":
                location = location or name
        elif root.dep_ in ("dobj",) and root.head.i == trigger.i:
            if trigger.lemma_.lower() in DEPART_VERBS:
                origin = origin or name
            elif type_ in ("visit", "transfer"):
                destination = destination or name
            elif type_ in ("strike", "other") and m.kind == "place":
                location = location or name  # "the missile struck Kharkiv", "troops seized Kupiansk"
        elif prep == "of" and type_ in ("strike", "other") and m.kind == "place" and attached is not None \
                and attached.dep_ == "dobj" and attached.head.i == trigger.i:
            location = location or name  # "seized part of the region", "took control of the town"
        elif root.dep_ in ("nsubj",) and type_ == "transfer" and m.kind == "actor":
            origin = origin or name
    return origin, destination, location


GROUP_NOUNS = frozenset({"delegation", "team", "mission", "group", "entourage"})
MEMBER_VERBS = frozenset({"include", "comprise", "lead", "head"})


def group_members(subj, sent_mentions) -> list:
    """The actor mentions naming who leads or belongs to a group that is a trigger's subject: "a
    delegation led by X arrived", "the team, which included X, left". Empty when `subj` is no
    group noun. `sent_mentions` are the sentence's (mention, span) pairs."""
    if subj.lemma_.lower() not in GROUP_NOUNS:
        return []
    members = set()
    for c in subj.children:
        if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in MEMBER_VERBS:
            members |= {t.i for g in c.children if g.dep_ in ("agent", "dobj") for t in g.subtree}
    return [m for m, span in sent_mentions if m.kind == "actor" and span.root.i in members]


def document_authors(subj, sent_mentions) -> list:
    """The actor mentions naming who issued a document that is a statement's subject: "a report
    released by lawmaker X said", "an assessment compiled by the X institute shows". Empty when
    `subj` is no document noun or names no issuer. `sent_mentions` are the sentence's (mention,
    span) pairs."""
    if subj.lemma_.lower() not in lexicon()["document_nouns"]:
        return []
    agents = {t.i for c in subj.children if c.dep_ == "acl" and c.tag_ == "VBN"
              for a in c.children if a.dep_ == "agent" for t in a.subtree}
    return [m for m, span in sent_mentions if m.kind == "actor" and span.root.i in agents]


ROUTE_PARTICIPLES = frozenset({"travel", "head", "go", "move", "sail", "fly", "pass", "cross", "return"})


def route_mentions(trigger, type_: str, sent_mentions) -> list:
    """(mention, span) pairs of the places a movement's participle clause gives its route by
    ("left the North by train on May 2, travelling from X to Y"): the clause is no event of its
    own, but its "from" and "to" are the movement's. Empty for other types or clauses."""
    if type_ not in ("visit", "transfer", "transport", "other"):
        return []
    route = {t.i for c in trigger.children if c.dep_ == "advcl" and c.tag_ == "VBG"
             and c.lemma_.lower() in ROUTE_PARTICIPLES for t in c.subtree}
    return [(m, span) for m, span in sent_mentions if m.kind == "place" and span.root.i in route]


def place_parties(arg_mentions, type_: str, origin, destination, location) -> list[tuple[str, str]]:
    """(state, role) of the states an event's places lie in, for an event whose text names no
    actor: "a missile struck Kharkiv" is a strike on Ukraine, "containers left Rajin" leave North
    Korea. The origin's state is the source, the destination's (and a strike's location's) the
    target. `arg_mentions` are the trigger's (mention, span) pairs; empty when no place has a
    known state."""
    gaz = load_gazetteer()
    roles = {origin: "source", destination: "target", location: "target" if type_ == "strike" else "participant"}
    out: list[tuple[str, str]] = []
    for m, _ in arg_mentions:
        if m.name not in roles or m.name is None:
            continue
        if m.kind == "actor":
            state = m.name if m.actor is not None and m.actor.type == "state" else None
        else:
            actor = gaz.state(m.place.country) if m.place is not None else None
            state = actor.name if actor is not None else None
        if state is not None and all(state != n for n, _ in out):
            out.append((state, roles[m.name]))
    return out


# (date, precision) of an event a later time expression counts from
Anchor = tuple[date, str | None]
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# Times told relative to the event just narrated, not to the publication date: "that day",
# "the same evening", "on the day of the vote", "hours earlier", "within hours", "the following
# day", "a day earlier",
# "five days later", "two months later".
SAME_DAY = re.compile(r"\b(?:(?:earlier|later)\s+(?:on\s+)?)?(?:that|the\s+same)\s+"
                      r"(?:day|evening|morning|afternoon|night)\b"
                      r"|\b(?:earlier|later)\s+in\s+the\s+(?:day|evening|morning|afternoon)\b"
                      r"|\b(?:(?:a\s+few|several|two|three|\d{1,2})\s+)?hours\s+(?:earlier|later)\b|\bwithin\s+hours\b"
                      r"|\b(?:on\s+)?the\s+day\s+of\s+the\s+\w+", re.IGNORECASE)
NEXT_DAY = re.compile(r"\bthe\s+(?P<dir>following|next|previous|preceding)\s+(?:day|morning|evening)\b", re.IGNORECASE)
SHIFTED = re.compile(r"\b(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
                     r"\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>earlier|later)\b", re.IGNORECASE)


def _shift(anchor: Anchor, n: int, unit: str) -> Anchor:
    """`anchor` (date, precision) moved by `n` days, weeks, months or years, at the precision
    the anchor and the unit allow."""
    d, precision = anchor
    if unit in ("day", "week"):
        moved = date.fromordinal(d.toordinal() + n * (7 if unit == "week" else 1))
        return (moved, precision) if precision == Precision.DAY else (moved.replace(day=1), precision)
    if unit == "month":
        months = d.year * 12 + d.month - 1 + n
        return date(months // 12, months % 12 + 1, 1), Precision.MONTH if precision == Precision.DAY else precision
    return date(d.year + n, 1, 1), Precision.YEAR


def anaphoric_dates(text: str, offset: int, anchor: Anchor | None,
                    dates: Sequence[DateMention] = ()) -> list[DateMention]:
    """The time expressions of `text` (a sentence starting at `offset`) told relative to the
    event narrated before it, resolved against `anchor` ((date, precision) of that event); "two
    days later" after a date of the same sentence ("loaded on 8 February and docked two days
    later") counts from that date (`dates`: the sentence's own resolved expressions). "that
    evening" needs an anchor known to the day. Without an anchor they come back vague (date
    None): such words say nothing about the publication date."""
    out: list[DateMention] = []

    def add(m, moved):
        out.append(DateMention(offset + m.start(), offset + m.end(), m.group(), *(moved or (None, None))))

    for m in SHIFTED.finditer(text):
        before = [(d.date, d.precision) for d in dates if d.date is not None and d.end <= offset + m.start()]
        base = before[-1] if before else anchor
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else NUMBER_WORDS[word]
        sign = 1 if m.group("dir").lower() == "later" else -1
        add(m, _shift(base, sign * n, m.group("unit").lower()) if base else None)
    day = anchor if anchor is not None and anchor[1] == Precision.DAY else None
    for m in SAME_DAY.finditer(text):
        add(m, day)
    for m in NEXT_DAY.finditer(text):
        sign = 1 if m.group("dir").lower() in ("following", "next") else -1
        add(m, _shift(day, sign, "day") if day else None)
    return out


def with_anaphoric(dates: list[DateMention], extra: list[DateMention]) -> list[DateMention]:
    """`dates` with the anaphoric ones in place of any expression they overlap, in text order."""
    kept = [d for d in dates if all(d.end <= e.start or d.start >= e.end for e in extra)]
    return sorted(kept + extra, key=lambda d: d.start)


def _scene_date(sent, dates: list[DateMention]) -> Anchor | None:
    """(date, precision) a sentence moves the story to when no event of it carries a date: the
    time it opens with ("In July 2023, ..."), else the last day it names."""
    opening = [(d.date, d.precision) for d in dates if d.date and d.start - sent.start_char <= 3]
    if opening:
        return opening[0]
    return next(((d.date, d.precision) for d in reversed(dates) if d.date and d.precision == Precision.DAY), None)


def _main_date(events: list[EventMention]) -> Anchor | None:
    """(date, precision) of the sentence's main dated event (the one highest in the parse), or
    None: a vague date deep in a subordinate clause ("when Putin visited in June") is
    background, not the time the story has reached."""
    dated = [e for e in events if e.date is not None and not e.soft_date
             and (len(list(e.trigger.ancestors)) <= 1 or e.precision == Precision.DAY)]
    if not dated:
        return None
    top = min(dated, key=lambda e: (len(list(e.trigger.ancestors)), e.trigger.i))
    return (top.date, top.precision) if top.date is not None else None  # dated: never None


def extract_events(doc, mentions: list[Mention], dates_by_sent: dict, *, published: date | None = None,
                   published_precision: str | None = None, skip=None) -> list[EventMention]:
    """Events of every analysed sentence of `doc`.

    `dates_by_sent` maps a sentence's start char to its DateMentions (already resolved);
    `published` dates present-tense and present-perfect news ('has arrived', 'says') that give
    no date of their own. `skip(offset)` says which text is not analysed.
    """
    out: list[EventMention] = []
    last_date: Anchor | None = None
    lex = lexicon()
    for sent in sentences(doc):
        text = span_text(sent)
        if not text.strip() or (skip is not None and skip(sent.start_char)):
            continue
        own = dates_by_sent.get(sent.start_char, [])
        dates = with_anaphoric(own, anaphoric_dates(text, sent.start_char, last_date, own))
        triggers = find_triggers(sent)
        if not triggers:
            last_date = _scene_date(sent, dates) or last_date
            continue
        first = len(out)
        owners = _date_owners(sent, triggers, dates)
        # Each mention's token span, found once per sentence rather than once per trigger.
        sent_mentions = [(m, span) for m in mentions if sent.start_char <= m.start < sent.end_char
                         if (span := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None]
        opener = text.strip().lower()
        anaphoric = any(opener.startswith(o + " ") or opener.startswith(o + ",")
                        for o in lex["anaphoric_openers"])
        for i, kind in sorted(triggers.items()):
            trigger = doc[i]
            type_, needs_context = kind
            # "held talks with X in Wonsan": the light verb's subject and places are the noun's.
            frame = trigger.head if (trigger.pos_ != "VERB" and trigger.dep_ in ("dobj", "attr")
                                     and trigger.head.lemma_.lower() in lex["light_verbs"]) else trigger
            args = argument_tokens(frame, triggers)
            arg_idx = {t.i for t in args}
            subj = subject_of(frame) if frame.pos_ in ("VERB", "AUX") else None
            if subj is not None and subj.i not in arg_idx:
                arg_idx |= {t.i for t in subj.subtree}
            described = described_noun_phrase(frame)
            arg_idx |= described
            # "Kim, who said ...": the relative pronoun stands for the noun the clause describes
            relative_subject = subj is not None and subj.tag_ in ("WP", "WDT") and subj.dep_ == "nsubj"
            arg_mentions = [(m, span) for m, span in sent_mentions
                            if any(k in arg_idx for k in range(span.start, span.end))]
            origin, destination, location = _places_of(frame, type_,
                                                       arg_mentions + route_mentions(frame, type_, sent_mentions))
            own_dates = owners.get(i, [])
            if needs_context and not own_dates and not (origin or destination or location):
                continue
            when = tense(trigger)
            status = status_of(trigger, type_, when)
            actors = []
            people = [span for m, span in arg_mentions if m.kind == "actor" and m.actor is not None
                      and m.actor.type == "person"]
            for m, span in arg_mentions:
                if m.kind != "actor" or (m.actor is not None and m.actor.type == "media" and type_ != "statement"):
                    continue  # an outlet reports events; it takes part only in statements
                if type_ == "statement" and is_possessor_of_speaker(m, span, people):
                    continue  # "Putin's adviser Yuri Ushakov said": the adviser speaks
                role = "source" if relative_subject and span.root.i in described else role_of(span.root, frame)
                if (m.name, role) not in actors and not (type_ in ("visit", "transfer")
                                                         and m.name in (origin, destination) and role != "source"):
                    actors.append((m.name, role))
            if type_ == "statement" and subj is not None:
                actors += [(m.name, "source") for m in document_authors(subj, sent_mentions)
                           if (m.name, "source") not in actors]
            if subj is not None:
                actors += [(m.name, "source") for m in group_members(subj, sent_mentions)
                           if (m.name, "source") not in actors]
            if not actors and type_ in PLACE_PARTY_TYPES:
                actors = place_parties(arg_mentions, type_, origin, destination, location)
            if is_negated_or_hypothetical(trigger):
                continue  # "did not say whom he would meet", "if they allowed Kyiv to strike"
            if type_ == "statement" and not own_dates and is_source_attribution(trigger, sent_mentions):
                continue  # "..., the agency reported": where the news comes from, not news
            resolved = join_periods(sent, [d for d in own_dates if d.date is not None])
            vague = own_dates and not resolved
            if resolved:
                # "an attack on Kyiv and Kharkiv": one strike on each place
                targets = struck_places(location, arg_mentions) if type_ == "strike" else [location]
                for d in resolved:
                    for place in targets:
                        out.append(EventMention(type_, trigger, sent, d.date, d.precision, status, actors,
                                                origin, destination, place, date_end=d.end_date,
                                                since=opens_period(sent, d)))
                continue
            if trigger.pos_ != "VERB" and not (actors or origin or destination or location) \
                    and not (trigger.dep_ == "pobj" and trigger.head.lower_ in ("during", "amid")) \
                    and month_modifier(trigger, published) is None:
                continue  # "the visit", "the summit": a reference back, not a new event
            ev = EventMention(type_, trigger, sent, None, None, status, actors, origin, destination, location)
            named = month_modifier(trigger, published)
            if named is not None and not own_dates:
                ev.date, ev.precision = named, Precision.MONTH
            elif not vague:
                if anaphoric and last_date is not None:
                    ev.date, ev.precision = last_date
                elif inherited := _date_of_clause_head(trigger, sent, triggers, owners, dates):
                    ev.date, ev.precision = inherited
                elif published is not None and status == "reported" and type_ == "visit" \
                        and is_news_of_the_day(trigger) and _ends_like_prose(sent):
                    ev.date, ev.precision, ev.soft_date = published, published_precision, True
            out.append(ev)
        opening = [(d.date, d.precision) for d in dates if d.date and d.start - sent.start_char <= 3]
        share_conjunct_dates(out[first:], opening[0] if opening else None)
        share_conjunct_places(out[first:])
        close_periods(out[first:], published)
        last_date = _main_date(out[first:]) or _scene_date(sent, dates) or last_date
    share_scene_places(out)
    return out


SCENE_TYPES = ("visit", "meeting")
STAY_DAYS = 6  # how long a visitor is taken to stay where he arrived when the text says no more


def share_scene_places(events: list[EventMention]) -> None:
    """Give a visit or meeting with no place the place where its actor is that day: the place of
    another event of the same actor on the same day ("received Shoigu in Pyongyang on Friday" ...
    "Shoigu flew in on Friday"), else the destination of the actor's latest visit in the days
    before ("arrived in Pyongyang on Sunday" ... "on Monday he was received by Kim"). A visit
    takes it as destination, a meeting as location. Changes `events` in place."""
    placed = [e for e in events
              if e.date is not None and e.precision == Precision.DAY and (e.location or e.destination)]
    for e in events:
        if e.type not in SCENE_TYPES or _places(e) or e.date is None or e.precision != Precision.DAY:
            continue
        names = {n for n, _ in e.actors}
        if not names:
            continue
        same_day = [f for f in placed if f.date == e.date and names & {n for n, _ in f.actors}]
        # (day, destination) of the actor's visits in the days before
        stays = [(f.date, f.destination) for f in placed if f.type == "visit" and f.destination
                 and f.date is not None and 0 < (e.date - f.date).days <= STAY_DAYS and names & _sources(f)]
        if same_day:
            place = same_day[0].location or same_day[0].destination
        elif stays:
            place = max(stays, key=lambda stay: stay[0])[1]
        else:
            continue
        if e.type == "visit":
            e.destination = place
        else:
            e.location = place


SINCE = re.compile(r"\b(?:ever\s+)?since\s+(?:(?:early|mid|late|the\s+(?:start|beginning|end)\s+of)[\s-]+)?$",
                   re.IGNORECASE)


def opens_period(sent, d: DateMention) -> bool:
    """True when date expression `d` of `sent` starts a period that runs up to the telling:
    "since last September", "since mid-2022" (an expression that itself begins with "since"
    counts too)."""
    before = doc_text(sent.doc)[max(sent.start_char, d.start - 40):d.start]
    return bool(SINCE.search(before)) or d.text.lower().startswith("since ")


def close_periods(events: list[EventMention], published: date | None) -> None:
    """End the periods opened by "since ...": on the day of the statement that tells of them
    (a dated statement governing the event, or the sentence's dated statement), else on the
    publication date. Changes `events` in place."""
    statements = [e for e in events if e.type == "statement" and e.date is not None and not e.since]
    for e in events:
        if not e.since:
            continue
        governing = [s for s in statements if s.trigger.i in {a.i for a in e.trigger.ancestors}]
        teller = next(iter(governing or statements), None)
        # the date recogniser ends "since X" at the publication date; a dated statement telling
        # of the period ends it earlier
        end = teller.date if teller is not None else (e.date_end or published)
        if end is not None and e.date is not None and end > e.date:
            e.date_end = end


def share_conjunct_dates(events: list[EventMention], opening: Anchor | None = None) -> None:
    """Give an undated verb event the day of a dated event it is coordinated with when the two
    share one subject ("arrived on Tuesday and was met at the airport", "received the envoy on
    Friday and pledged support"): one actor's sequence of acts on one day. A conjunct with its
    own subject, a contrast ("denied ... but vowed last year") or a date vaguer than a day
    shares nothing, unless the date opens the sentence ("On 28 April, the commission confirmed ...,
    and Kim promised ..."): `opening` is that (date, precision), which then covers every
    coordinated clause. A clause of the same moment ("..., as the two men held talks") has its
    head's day. Changes `events` in place."""
    dated: dict[int, EventMention] = {}
    for e in events:
        if e.date is not None and e.precision == Precision.DAY:
            dated.setdefault(e.trigger.i, e)

    def own_subject(t) -> bool:
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)

    for e in events:
        t = e.trigger
        if e.date is None:
            # "Kim told Putin on Wednesday ..., as the two men held talks": a clause of the
            # same moment ("as", "while") happens on its head's day
            frame = t.head if t.pos_ != "VERB" and t.dep_ in ("dobj", "attr") and t.head.pos_ == "VERB" else t
            head = next((a for a in frame.ancestors if a.i in dated), None)
            if frame.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("as", "while") for c in frame.children) \
                    and head is not None:
                e.date, e.precision = dated[head.i].date, dated[head.i].precision
                continue
        if e.date is not None or t.pos_ != "VERB":
            continue
        if any(c.dep_ == "cc" and c.lower_ in ("but", "yet") for c in [*t.children, *t.head.children]):
            continue
        kin = [t.head] if t.dep_ == "conj" and not own_subject(t) else []
        kin += [c for c in t.children if c.dep_ == "conj" and not own_subject(c)]
        if opening is not None and t.dep_ == "conj" and t.head.pos_ == "VERB":
            framed = next((o for o in events if o.trigger.i == t.head.i and (o.date, o.precision) == opening), None)
            if framed is not None:
                e.date, e.precision = framed.date, framed.precision
                continue
        # "before leaving for home the same day, he passed the list": a non-finite time
        # clause of the same subject is on the same day
        kin += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("before", "after", "while", "upon")
                for g in c.children if g.dep_ == "pcomp" and g.tag_ == "VBG"]
        # "he was received on Monday by Kim, who said ...": what a participant said then
        if e.type == "statement" and t.dep_ == "relcl" and t.tag_ == "VBD":
            kin += [a for a in t.head.ancestors if a.pos_ == "VERB"][:1]
        source = next((dated[k.i] for k in kin if k.i in dated and k.pos_ == "VERB"), None)
        if source is not None:
            e.date, e.precision = source.date, source.precision


def share_conjunct_places(events: list[EventMention]) -> None:
    """Give an event with no place the place of the event it is part of: a verb coordinated
    with another of the same subject ("arrived in Pyongyang and was met at the airport"), a
    noun under "during" ("signed the treaty in Pyongyang during the state visit"). A visit takes
    it as its destination, others as their location. Changes `events` in place."""
    by_trigger: dict[int, EventMention] = {}
    for e in events:
        if _places(e):
            by_trigger.setdefault(e.trigger.i, e)
    for e in events:
        t = e.trigger
        if _places(e):
            continue
        if t.pos_ == "VERB":
            kin = [t.head] if t.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) else []
        else:
            kin = [t.head.head] if t.dep_ == "pobj" and t.head.lower_ in ("during", "amid") else []
        source = next((by_trigger[k.i] for k in kin if k.i in by_trigger), None)
        if source is None:
            continue
        place = source.location or source.destination
        if place is None:
            continue
        if e.type == "visit":
            e.destination = place
        else:
            e.location = place


def _ends_like_prose(sent) -> bool:
    """False for headings and headlines: a line with no closing punctuation."""
    return span_text(sent).rstrip().endswith((".", "!", "?", '"', "\u201d", "'", ")"))


def _date_of_clause_head(trigger, sent, triggers, owners, dates):
    """(date, precision) a clause takes from what it hangs on, or None.

    - "since last year, when North Korea opened its border": a clause on a date expression
      happened at that date;
    - "last week, after meeting a delegation, the governor announced": a non-finite time
      clause ("after", "before", "while" + -ing) shares its head event's date when that date
      is only known to the month or year, which such a clause cannot leave.
    """
    head = trigger.head
    # "signed the treaty on June 19 during the president's state visit": the visit was on.
    if trigger.pos_ != "VERB" and trigger.dep_ == "pobj" and head.lower_ in ("during", "amid") \
            and head.head.i in owners:
        own = [d for d in owners[head.head.i] if d.date is not None]
        if own:
            return own[0].date, own[0].precision
    if trigger.dep_ in ("relcl", "advcl", "acl") and head.i != trigger.i:
        for d in dates:
            if d.date is not None and d.start <= head.idx < d.end:
                return d.date, d.precision
    # Only a non-finite clause ("after meeting", "before leaving"): it has the head event's
    # agent, so both happen in one sequence; "after Seoul said ..." is another actor's act.
    if not (trigger.dep_ == "pcomp" and trigger.head.lower_ in ("after", "before", "while", "during")):
        return None
    clause = trigger.head
    owner, _ = owning_trigger(clause.head, triggers)
    if owner is None:
        return None
    own = [d for d in owners.get(owner.i, []) if d.date is not None and d.precision != Precision.DAY]
    return (own[0].date, own[0].precision) if own else None


def _period(e: EventMention) -> tuple[date, date] | None:
    """First and last day of the period an event's date stands for."""
    if e.date is None:
        return None
    if e.precision == Precision.YEAR:
        return date(e.date.year, 1, 1), date(e.date.year, 12, 31)
    if e.precision == Precision.MONTH:
        nxt = date(e.date.year + e.date.month // 12, e.date.month % 12 + 1, 1)
        return e.date, date.fromordinal(nxt.toordinal() - 1)
    return e.date, e.date


def _same_story(a: EventMention, b: EventMention) -> bool:
    """True when `a` (the vaguer) may be `b` told again: `a` names no actor, or they share
    their source actor or an end of the movement and no two different sources. Two statements
    need the same speaker."""
    if not a.actors:
        return True
    sources_a = {n for n, r in a.actors if r == "source"}
    sources_b = {n for n, r in b.actors if r == "source"}
    if a.type == "statement":
        return not sources_a or bool(sources_a & sources_b)
    if sources_a and sources_b and not sources_a & sources_b:
        return False  # two travellers to one capital in one month: two visits
    ends_a = {a.origin, a.destination} - {None}
    ends_b = {b.origin, b.destination} - {None}
    return bool(sources_a & sources_b) or bool(ends_a & ends_b)


def merge_duplicates(events: list[EventMention]) -> list[EventMention]:
    """`events` without the rows that repeat a more precise one of the same article.

    An article often names an event twice: "will visit this coming week" then "from January
    15 to 17"; "last year's summit" after "the summit in September last year". A row goes when
    another of its type, with a finer date inside its period, may be the same story. A date
    assumed from the publication ('has left for Russia') goes when the text dates an event
    of that type in the week before publication: present-tense news and a dated event of
    the same kind that week are, in a news story, the same event.
    """
    keep = []
    for e in events:
        p = _period(e)
        # (`p` is None exactly when the date is; the date test tells the type checker so)
        if p is None or e.date is None or (e.type == "statement" and not e.soft_date):
            keep.append(e)  # a speaker says many things in a month: each dated statement stays
            continue
        repeated = False
        for o in events:
            if o is e or o.type != e.type or o.date is None or o.soft_date:
                continue
            if e.soft_date:
                repeated = 0 <= (e.date - o.date).days <= 7
            elif precision_rank(o.precision) < precision_rank(e.precision) and p[0] <= o.date <= p[1] \
                    and _same_story(e, o):
                repeated = True
            if repeated:
                break
        if not repeated:
            keep.append(e)
    return keep


def is_heading(sent) -> bool:
    """True for a short line that does not end like prose: a headline, subheading or caption
    fragment inside the text ("Several agreements to be signed")."""
    return not _ends_like_prose(sent) and word_count(sent) <= 15


def drop_repeats(events: list[EventMention], kind_at) -> list[EventMention]:
    """`events` without title, caption and subheading events that repeat a body event of the
    same type.

    A headline, subheading or photo caption restates the story; counting it again would double
    the facts. `kind_at(offset)` gives the segment kind at an offset.
    """
    def told_in_body(e) -> bool:
        return kind_at(e.trigger.idx) == "body" and not is_heading(e.sent)

    body_types = {e.type for e in events if told_in_body(e)}
    return [e for e in events if told_in_body(e) or e.type not in body_types]


def _sources(e: EventMention) -> set[str]:
    return {n for n, r in e.actors if r == "source"}


def _places(e: EventMention) -> set[str]:
    return {p for p in (e.origin, e.destination, e.location) if p}


def _told_again(e: EventMention) -> bool:
    """True when the text marks a new occurrence ("met again", "a second visit")."""
    words = {c.lower_ for c in e.trigger.children}
    return bool(words & {"again", "second", "another", "new"})


def same_event(a: EventMention, b: EventMention) -> bool:
    """True when `b` tells the event `a` told (same type; both are assumed in one article).

    In one sentence: a noun and a verb of one event ("visited ... the visit", "called ... and
    said"), i.e. one trigger governs the other or they are coordinated, and no different
    speakers, places or dates. Across sentences, a retelling: the same day, the same speaker
    for statements, and for other events a shared actor or place and no conflicting place.
    """
    if a.type != b.type or a.trigger.i == b.trigger.i or _told_again(b):
        return False
    if a.date is not None and b.date is not None and (a.date, a.precision) != (b.date, b.precision):
        return False
    sa, sb = _sources(a), _sources(b)
    if sa and sb and not sa & sb:
        return False
    pa, pb = _places(a), _places(b)
    if a.location and b.location and a.location != b.location:
        return False
    if a.sent.start_char == b.sent.start_char:
        ta, tb = a.trigger, b.trigger
        linked = ta in tb.ancestors or tb in ta.ancestors or (tb.dep_ == "conj" and tb.head.i == ta.i) \
            or (ta.dep_ == "conj" and ta.head.i == tb.i)
        return linked and (ta.pos_ != tb.pos_ or a.type == "statement" or bool(sa & sb))
    if a.date is None or b.date is None or a.precision != Precision.DAY:
        return False
    if a.type == "statement":
        return bool(sa & sb)
    names_a, names_b = {n for n, _ in a.actors}, {n for n, _ in b.actors}
    if not (names_b or pb) or not (names_a or pa):
        return True  # "the missile that struck the city on January 2": nothing tells them apart
    return bool(names_a & names_b) or bool(pa & pb)


def merge_retellings(events: list[EventMention]) -> list[EventMention]:
    """`events` (one article's, in text order) with every retelling folded into the first
    mention of its event (see `same_event`): the kept row gains the other's actors, places,
    date and end when it lacks them, and its sentence as evidence."""
    kept: list[EventMention] = []
    for e in events:
        first = next((k for k in kept if same_event(k, e)), None)
        if first is None:
            kept.append(e)
            continue
        first.actors += [a for a in e.actors if a not in first.actors]
        first.origin, first.destination, first.location = (first.origin or e.origin, first.destination or e.destination,
                                                           first.location or e.location)
        if first.date is None and e.date is not None:
            first.date, first.precision, first.soft_date = e.date, e.precision, e.soft_date
        first.date_end = first.date_end or e.date_end
        first.evidence = [s for s in first.spans() + e.spans() if s != (first.sent.start_char, first.sent.end_char)]
    return kept
