"""Whose figure, and for when: the claim behind each figure of an article.

`figure_claims(doc, figures, mentions, dates_by_sent, published)` reads, for every figure, the
statement that gives it: the speech verb that governs the figure ("X said", "X estimated",
"X put the total at"), else the sentence's own source ("according to X", "..., X said").
The claimant is the actor that source names (the head of its phrase, else the first named);
a source that names no one ("he added", "the agency said", "the sources said") continues the
claim of the sentences before it, until another source is named. The claim's date is the day
the statement was made ("said Thursday", "told lawmakers on 2 September", "Last month, X
claimed"), carried along with the claimant; `since` is the start of the period a running
total covers ("since early August", "between August 2023 and January 2024").
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.extract.attribution import (
    according_to,
    is_claim_verb,
    is_document_noun,
    noun_phrase,
    speaker_of,
    speech_verbs_in,
    subject_of,
)
from core.extract.dates import count_value
from core.extract.gazetteer import load_gazetteer
from core.extract.nlp import doc_text, sentences
from core.model import DateMention
from core.vocab import Precision

# Sources that name no one but point back to the one just named ("the agency said").
ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
# Heads of sources that are outlets in general: "South Korean media" credit no one.
MEDIA_NOUNS = frozenset({"media", "press", "outlets", "newspapers", "tabloids"})
# Time words that point back to the time of the sentence before ("hours earlier", "that night").
ANAPHORIC_TIME = re.compile(r"(?i)\b(?:earlier|later|that (?:day|night|morning|evening|week|month|year)|the same day|"
                            r"the next day|the following day|the day before|at the time)\b")


@dataclass(frozen=True)
class Claim:
    """The claim behind a figure: who gives it (`claimant`, None when no one is named), the day
    the statement was made (`date`, `precision`) and the start of the period a running total
    covers (`since`)."""

    claimant: str | None
    # datetime.date: inside the class body `date` names the field, not the type
    date: datetime.date | None
    precision: str | None
    since: datetime.date | None = None
    speaker: str | None = None  # who is talking when they relay another's claim ("Lee said")
    stated: bool = True  # False when the day is the publication date, not one the text gives


NO_CLAIM = Claim(None, None, None)


def _actor_mentions(span, mentions) -> list:
    return [m for m in mentions if m.kind == "actor" and span.start_char <= m.start < span.end_char]


def _depth_in(span, m) -> int:
    """How far below the root of `span` the mention `m` sits (0 for the head)."""
    tok = span.doc.char_span(m.start, m.end, alignment_mode="expand")
    if tok is None:
        return 99
    t, n = tok.root, 0
    while t.i != span.root.i and t.i != t.head.i and n < 20:
        n += 2 if t.dep_ == "poss" else 1  # "Russia's ambassador, X": the possessor is not the source
        t = t.head
    return n if t.i == span.root.i else 99


def claimant_in(span, mentions) -> str | None:
    """The actor a source phrase names: the one nearest its head ("US State Department
    spokesman Matthew Miller" -> Miller; "a Defense Intelligence Agency report released by
    lawmaker Kim" -> the agency), the first named among equals; None when it names no one or
    is a medium in general ("South Korean media")."""
    if span.root.lower_ in MEDIA_NOUNS and not any(t.ent_type_ in ("ORG", "PERSON") for t in span):
        return None
    inside = _actor_mentions(span, mentions)
    if not inside:
        return None
    best = min(inside, key=lambda m: (_depth_in(span, m), m.start))
    if span.root.lemma_.lower() in UNNAMED_PEOPLE and best.actor is not None and best.actor.country \
            and best.surface.lower().split()[-1] in GENERIC_FORCES and _depth_in(span, best) <= 1:
        # "a U.S. military official": an unnamed official of a country's forces speaks for the country
        state = load_gazetteer().state_of_country.get(best.actor.country)
        if state is not None:
            return state.name
    return best.name


UNNAMED_PEOPLE = frozenset({"official", "officer", "source", "spokesman", "spokeswoman", "spokesperson"})
GENERIC_FORCES = frozenset({"military", "army", "forces", "navy"})


def _is_anaphoric(span) -> bool:
    """True when a source phrase points back to one named before ("he", "the agency", "the
    sources", "it") rather than naming one."""
    root = span.root
    if root.lower_ in PRONOUNS:
        return True
    first = span[0].lower_
    return first in ANAPHORIC_DETERMINERS and not any(t.ent_type_ for t in span)


def _governing_statement(tok):
    """The speech verb nearest above `tok` that names a speaker, or None; a figure's own
    reporting clause counts too ("the 600 deaths it reported in April")."""
    for child in tok.children:
        if child.dep_ in ("relcl", "acl") and is_claim_verb(child) and speaker_of(child) is not None:
            return child
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and is_claim_verb(t) and speaker_of(t) is not None \
                and not _holds(noun_phrase(speaker_of(t)), tok):
            return t  # not "300 North Koreans believed to be workers": the figure is no speaker
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _holds(phrase, tok) -> bool:
    """True when the noun phrase `phrase` contains token `tok`."""
    return phrase.start <= tok.i < phrase.end


def _under(tok, verb, figure) -> bool:
    """True when date token `tok` hangs from `verb` outside the clause that holds `figure`."""
    t = tok
    for _ in range(12):
        if t.head.i == verb.i:
            inside = figure is not None and (t.i == figure.i or t.is_ancestor(figure))
            return not inside and t.dep_ not in ("ccomp", "xcomp", "advcl")
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _span_of(doc, d: DateMention):
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _statement_date(verb, figure, dates) -> DateMention | None:
    """The date expression of the statement made with `verb` (not of what it reports)."""
    doc = verb.doc
    for d in dates:
        span = _span_of(doc, d)
        if span is not None and (span.root.i == verb.i or _under(span.root, verb, figure)):
            return d
    return None


def _dates_in(phrase, dates) -> DateMention | None:
    for d in dates:
        if phrase.start_char <= d.start < phrase.end_char:
            return d
    return None


def _since(figure, sent, dates) -> date | None:
    """Start of the period a running total covers: a "since ..." or a period in the figure's
    clause ("since early August", "since they entered combat earlier this month", "between
    August 2023 and January 2024")."""
    doc = sent.doc
    clause = figure
    while clause.head.i != clause.i and clause.dep_ not in ("ccomp", "ROOT", "conj", "relcl", "advcl"):
        clause = clause.head
    lo, hi = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
    for d in dates:
        span = _span_of(doc, d)
        if span is None or d.date is None or not lo <= d.start < hi:
            continue
        opener = doc[max(sent.start, span.start - 3):span.start]
        if d.end_date is not None or any(t.lower_ == "since" for t in opener) \
                or d.text.lower().startswith(("since", "between")) or _in_since_clause(span.root, clause):
            return d.date
    return None


def _in_since_clause(tok, clause) -> bool:
    """True when `tok` sits in a "since ..." phrase or clause below `clause` ("since they were
    thrown into combat earlier this month")."""
    t = tok
    for _ in range(12):
        if t.lower_ == "since" or any(c.lower_ == "since" and c.dep_ in ("mark", "prep") for c in t.children):
            return True
        if t.i == clause.i or t.head.i == t.i:
            return False
        t = t.head
    return False


RELATIVE_DAYS = re.compile(r"(?i)^(\w+)\s+days?\s+(later|earlier|after|before)$")


def _resolve_anaphoric_date(d: DateMention | None, previous: Claim) -> tuple[date | None, str | None]:
    if d is None:
        return None, None
    m = RELATIVE_DAYS.match(d.text.strip())
    if d.date is None and m and previous.date is not None and previous.precision == Precision.DAY:
        count = count_value(m.group(1))  # "Five days later": counted from the day just told
        if count is not None:
            sign = 1 if m.group(2).lower() in ("later", "after") else -1
            return previous.date + timedelta(days=sign * int(count)), Precision.DAY
    if d.date is None and ANAPHORIC_TIME.search(d.text):
        return previous.date, previous.precision  # "Hours earlier, X said": the day just told
    return d.date, d.precision


def figure_claims(doc, figures, mentions, dates_by_sent: dict, published: date | None = None,
                  published_precision: str | None = None) -> list[Claim]:
    """One Claim per figure of `figures` (QuantityMentions of `doc`, in text order).

    `dates_by_sent` maps a sentence's start char to its resolved DateMentions; `published` is
    the fallback day of a figure stated in the present tense with no day of its own ("Seoul
    believes ..."). Assumes `mentions` are the article's actor and place mentions.
    """
    types = {m.name: m.actor.type for m in mentions if m.kind == "actor" and m.actor is not None}
    by_sent: dict[int, list[int]] = {}
    for k, q in enumerate(figures):
        by_sent.setdefault(q.sent_start, []).append(k)
    claims: list[Claim] = [NO_CLAIM] * len(figures)
    last, last_n = NO_CLAIM, -10  # the claim the story is reporting, carried until a new source
    for n, sent in enumerate(sentences(doc)):
        if n - last_n > MAX_CARRY:
            last = NO_CLAIM  # reported speech does not run on for paragraphs
        elif n - last_n > 2:
            last = Claim(last.claimant, None, None)  # nor does its occasion
        dates = dates_by_sent.get(sent.start_char, [])
        for k in by_sent.get(sent.start_char, []):
            span = doc.char_span(figures[k].start, figures[k].end, alignment_mode="expand")
            if span is None:
                continue
            claim, _ = _claim_of(span.root, sent, mentions, dates, last, types, published, published_precision)
            since = _since(span.root, sent, dates)
            if since is not None and claim.date is not None and since >= claim.date:
                since = None
            claims[k] = Claim(claim.claimant, claim.date, claim.precision, since)
        claim, found = _claim_of(None, sent, mentions, dates, last, types, published, published_precision)
        relayed = [claims[k] for k in by_sent.get(sent.start_char, []) if claims[k].claimant is not None]
        if relayed and found:
            # "The NIS estimates ..., lawmaker Lee said": what follows continues the NIS's claim
            claim = Claim(relayed[0].claimant, claim.date or relayed[0].date,
                          claim.precision if claim.date else relayed[0].precision, speaker=claim.speaker)
        if found and claim.claimant is not None:
            last, last_n = claim, n
    return claims


MAX_CARRY = 3
PERSON_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "minister", "official", "president",
                          "lawmaker", "ambassador", "chief", "director", "commander", "analyst", "expert"})


def _fits(source, name: str | None, types: dict) -> bool:
    """True when an anaphoric source can stand for `name`: "he" for a person, "it" or "the
    agency" for an organisation or a state, "they" or "the sources" for any."""
    if name is None:
        return False
    person = types.get(name) == "person" or name in PERSON_NOUNS
    root = source.root.lower_
    if root in ("he", "she") or root in PERSON_NOUNS:
        return person
    if root == "it" or (source.root.tag_ == "NN" and root not in PERSON_NOUNS):
        return not person
    return True


def _claim_of(figure, sent, mentions, dates, last: Claim, types, published, published_precision):
    """(claim, whether a source is named or continued) for one figure, or for the sentence
    itself when `figure` is None."""
    verb = _governing_statement(figure) if figure is not None else None
    document = _reporting_noun(figure, verb) if figure is not None else None
    if document is not None:
        # "a media report that 3,000 troops ...": the report is the source, named or not
        name = claimant_in(noun_phrase(document), mentions)
        return Claim(name, None, None, speaker=name or document.lower_), True
    seen = set()
    while verb is not None and verb.head.i != verb.i and verb.i not in seen:
        # "X wrote that preliminary data put the toll at 3,000": data that name no one are X's
        seen.add(verb.i)  # the walk goes up the parse; a statement verb that governs itself ends it
        inner = noun_phrase(speaker_of(verb))
        if claimant_in(inner, mentions) is not None or _is_anaphoric(inner):
            break
        outer = _governing_statement(verb.head)
        if outer is None or outer.i in seen:
            break
        verb = outer
    if verb is not None:
        source = noun_phrase(speaker_of(verb))
    else:
        source = according_to(sent)
        if source is None:
            # the sentence's top reporting verb, unless its speaker is the figure itself
            verb = next((v for v in speech_verbs_in(sent) if figure is None
                         or not _holds(noun_phrase(speaker_of(v)), figure)), None)
            source = noun_phrase(speaker_of(verb)) if verb is not None and verb.dep_ != "advcl" else None
            if source is None:
                verb = None
    if source is None:
        if figure is not None and last.claimant is not None and _continues(sent):
            return last, False  # "That is more than the 3,200 who came in 2019": the same data
        return NO_CLAIM, False
    name = claimant_in(source, mentions)
    if name is not None and _is_anaphoric(source) and name == last.speaker and last.claimant is not None:
        name = last.claimant  # "he added", "he" resolved to the lawmaker who relays the agency's claim
    if name is None and verb is None:
        name = claimant_in(_subtree_span(source.root), mentions)  # "figures cited by the UN"
    if name is None and verb is not None and not _is_anaphoric(source):
        # "Tokyo Shimbun reported, citing a source ...": an unnamed source leaves it to the outlet;
        # "reports in the US press, citing intelligence, that ...": the participle's head speaks
        others = [subject_of(verb)]
        if verb.dep_ in ("advcl", "acl") and verb.tag_ == "VBG":
            others += [c for c in verb.head.children if c.dep_ in ("dobj", "nsubj")]
        for other in others:
            if other is not None and (name := claimant_in(noun_phrase(other), mentions)) is not None:
                break
    if verb is not None:
        when = _statement_date(verb, figure, dates)
        if when is None and figure is not None and _argument_of(figure, verb):
            # "X put the total at 6,700 containers on 26 February": the date may hang anywhere
            when = next((d for d in dates if d.date is not None and not _in_since(d, sent)), None)
        if when is None and verb.dep_ in ("advcl", "relcl", "conj") and verb.head.i != verb.i:
            # "on 13 October, when X said ...", "a report made public in August ... estimated"
            when = _statement_date(verb.head, verb, dates)
        outer = verb
        while when is None and outer.head.i != outer.i:
            outer = outer.head  # "X estimates ..., lawmaker Y said Tuesday": the day of the relay
            if is_claim_verb(outer):
                when = _statement_date(outer, figure, dates)
    else:
        when = _dates_in(_subtree_span(source.root), dates)
    day, precision = _resolve_anaphoric_date(when, last)
    earlier = _earlier_source(sent, source, mentions) if name is None and _is_anaphoric(source) else None
    if earlier is not None:
        name = earlier  # "the NIS estimates ..., up from the 600 deaths it reported in April"
    elif name is None and _is_anaphoric(source) and (_fits(source, last.claimant, types)
                                                     or (last.speaker != last.claimant
                                                         and _fits(source, last.speaker, types))):
        name = last.claimant
        if day is None:
            day, precision = last.date, last.precision
    if day is None and last.date is not None and last.stated and verb is not None and verb.tag_ in ("VBD", "VBN"):
        # a statement told right after a dated one, with no day of its own, is of that occasion
        day, precision = last.date, last.precision
    if day is None and verb is not None and verb.tag_ in ("VBZ", "VBP") and published is not None:
        # "Seoul believes": a figure held as current on the day of publication
        return Claim(name, published, published_precision or Precision.DAY, speaker=name or source.root.lower_,
                     stated=False), True
    return Claim(name, day, precision, speaker=name or source.root.lower_), True


def _continues(sent) -> bool:
    """True when a sentence opens on a pronoun that points back to what was just reported
    ("That is more than ...", "This compares with ...")."""
    first = next((t for t in sent if not t.is_space and not t.is_punct), None)
    return first is not None and first.lower_ in ("that", "this", "these", "those") \
        and first.dep_ in ("nsubj", "nsubjpass")


def _reporting_noun(figure, verb):
    """The document noun whose "that" clause holds `figure` below any claim verb `verb`
    ("a media report that 3,000 troops had arrived"), else None."""
    t = figure
    for _ in range(12):
        if t.head.i == t.i or (verb is not None and t.head.i == verb.i):
            return None
        head = t.head
        if t.dep_ in ("acl", "ccomp", "relcl") and head.pos_ == "NOUN" and is_document_noun(head) \
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children):
            return head
        t = head
    return None


def _earlier_source(sent, source, mentions) -> str | None:
    """The claimant of a claim verb earlier in `sent` than the anaphoric `source` ("it")."""
    for tok in sent:
        if tok.i >= source.start:
            return None
        if tok.pos_ in ("VERB", "AUX") and is_claim_verb(tok) and speaker_of(tok) is not None:
            speaker = noun_phrase(speaker_of(tok))
            if speaker.start < source.start and (name := claimant_in(speaker, mentions)) is not None:
                return name
    return None


def _argument_of(figure, verb) -> bool:
    """True when `figure` is an argument of `verb` with no other verb between them."""
    t = figure
    for _ in range(8):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.i == verb.i:
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _in_since(d: DateMention, sent) -> bool:
    return "since" in doc_text(sent.doc)[max(sent.start_char, d.start - 8):d.start].lower()


def _subtree_span(tok):
    doc = tok.doc
    return doc[tok.left_edge.i:tok.right_edge.i + 1]
