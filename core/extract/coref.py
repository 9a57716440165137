"""Pronouns and definite descriptions resolved to the actor they refer to in the article.

`references(doc, mentions, gaz)` returns one `Mention` (kind actor, `coref=True`) for every
"he", "she", "his", "her", "the minister", "the North Korean leader", "the agency", "the ministry"
whose referent the article has already named:

- a personal pronoun or a role noun ("the minister", "the spokesman") refers to the nearest
  person named before it, within the last few sentences; a nationality before the role ("the
  North Korean leader") restricts it to persons of that state;
- an organisation noun ("the agency", "the ministry", "the service") refers to the nearest
  organisation or medium named before it whose name has that noun ("Korean Central News Agency")
  or, for "agency", that is a news agency.

It never creates an actor: a reference with no compatible antecedent is left out. The caller keeps
these mentions out of the actors' alias lists (`Mention.coref`). Pure: a Doc and mentions in,
mentions out.
"""
from __future__ import annotations

from core.extract.gazetteer import Gazetteer
from core.extract.nlp import sentences
from core.model import Mention

PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her"})
# Role nouns that stand for one person ("the minister said"); titles from the gazetteer add to them.
PERSON_ROLES = frozenset({"leader", "minister", "president", "spokesman", "spokeswoman", "spokesperson", "envoy",
                          "ambassador", "official", "chief", "head", "premier", "chancellor", "general",
                          "commander", "diplomat", "secretary", "director", "chairman", "governor", "prosecutor"})
ORG_NOUNS = frozenset({"agency", "ministry", "service", "council", "committee", "office", "department",
                       "commission", "directorate", "bureau", "institute", "company", "firm", "embassy",
                       "party", "government", "court", "army", "newspaper", "broadcaster", "panel"})
MAX_SENTENCES_BACK = 3
# "the panel", "the ministry": a body whose name has the noun is still meant many sentences on,
# where "he" would long have moved to someone else, as long as no other body is named in between.
ORG_SENTENCES_BACK = 12


def references(doc, mentions: list[Mention], gaz: Gazetteer, *, skip=None) -> list[Mention]:
    """A coreference mention for every pronoun or definite description in `doc` whose referent is
    among `mentions` (see module doc), in text order. `skip(offset)` marks text not analysed."""
    skip = skip or (lambda offset: False)
    actors = sorted((m for m in mentions if m.kind == "actor" and m.actor is not None and not m.coref),
                    key=lambda m: m.start)
    if not actors:
        return []
    taken = {i for m in mentions for i in range(m.start, m.end)}
    sents = sentences(doc)
    sent_index = {s.start_char: i for i, s in enumerate(sents)}
    out = []
    for tok in doc:
        if tok.idx in taken or tok.pos_ not in ("PRON", "NOUN") or skip(tok.idx):
            continue
        found = _reference(doc, tok, gaz)
        if found is None:
            continue
        start, end, want, country, noun = found
        here = sent_index.get(tok.sent.start_char, 0)
        earliest = sents[max(0, here - MAX_SENTENCES_BACK)].start_char
        referent = _antecedent(doc, actors, doc[start].idx, earliest, want, country, noun)
        if referent is None and want == "organisation":
            far = sents[max(0, here - ORG_SENTENCES_BACK)].start_char
            referent = _antecedent(doc, actors, doc[start].idx, far, want, country, noun)
            if referent is not None and any(
                    referent.end <= m.start < doc[start].idx and m.actor is not None
                    and m.actor.type in ("organisation", "media") and m.name != referent.name for m in actors):
                referent = None  # another body named since: too far to be sure which one is meant
        if referent is None:
            continue
        span = doc[start:end]
        out.append(Mention("actor", referent.name, span.text, span.start_char, span.end_char,
                           actor=referent.actor, coref=True))
    return out


def _reference(doc, tok, gaz: Gazetteer):
    """(start, end, "person"|"organisation", country or None, head noun) when `tok` ends a
    pronoun or a definite description ("the [North Korean] leader"), else None."""
    low = tok.lower_
    if low in PERSON_PRONOUNS and tok.pos_ == "PRON":
        return tok.i, tok.i + 1, "person", None, None
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or not tok.is_lower:
        return None
    if low in PERSON_ROLES or low in gaz.titles:
        want = "person"
    elif low in ORG_NOUNS:
        want = "organisation"
    else:
        return None
    if tok.i + 1 < len(doc) and doc[tok.i + 1].is_title and doc[tok.i + 1].pos_ == "PROPN":
        return None  # "the minister Sergei Lavrov": the name itself follows
    if tok.dep_ == "appos" or any(ch.dep_ == "prep" and ch.lower_ == "of" for ch in tok.children):
        return None  # "Olga Ivanova, the envoy of ...", "at the head of a delegation": new, not a reference
    i = tok.i - 1
    while i >= 0 and i >= tok.i - 4 and i < doc[i].head.i <= tok.i and doc[i].dep_ in ("amod", "compound", "nmod"):
        i -= 1
    if i < 0 or doc[i].lower_ != "the":
        return None
    country, covered = _modifier_state(doc, i + 1, tok.i, gaz)
    if any(doc[j].pos_ == "PROPN" and j not in covered for j in range(i + 1, tok.i)):
        return None  # "the Kharkiv prosecutor": a name of its own, not a reference
    if tok.dep_ == "compound":
        return None  # "the ministry building"
    return i, tok.i + 1, want, country, low


def _modifier_state(doc, start: int, end: int, gaz: Gazetteer) -> tuple[str | None, set[int]]:
    """(ISO3, token indices) of the longest state name or demonym among tokens [start, end)."""
    for width in range(end - start, 0, -1):
        for j in range(start, end - width + 1):
            country = _state(doc[j:j + width], gaz)
            if country is not None:
                return country, set(range(j, j + width))
    return None, set()


def _state(span, gaz: Gazetteer) -> str | None:
    for e in gaz.aliases(span.text):
        actor = gaz.actors.get(e.name)
        if e.kind in ("demonym", "actor") and actor is not None and actor.type == "state" and not e.context:
            return actor.country
    return None


def _antecedent(doc, actors: list[Mention], before: int, earliest: int, want: str, country: str | None,
                noun: str | None) -> Mention | None:
    """The actor mention in [earliest, before) that the reference can mean: for a person, the
    nearest one that is a clause's subject (the topic a pronoun usually continues), else the
    nearest; for an organisation, the nearest whose name has the reference's noun."""
    fits = []
    for m in reversed(actors):
        if m.end > before:
            continue
        if m.start < earliest:
            break
        a = m.actor
        assert a is not None  # `actors` holds actor mentions only
        if want == "person":
            if a.type == "person" and (country is None or a.country == country):
                fits.append(m)
            continue
        if a.type not in ("organisation", "media") or (country is not None and a.country != country):
            continue
        if (noun in m.name.lower().split() or noun in m.surface.lower().split()
                or (noun == "agency" and a.type == "media")):
            return m
    for m in fits:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return m
    return fits[0] if fits else None


# Kinds of place a definite description names ("the city", "the same zoo", "the North Korean
# capital"): it means the nearest place named before it of that kind.
PLACE_NOUNS = frozenset({"city", "town", "village", "capital", "region", "province", "zoo", "bridge", "port",
                         "harbour", "harbor", "airport", "station", "base", "cosmodrome", "plant", "factory",
                         "square", "island", "peninsula"})
# Kinds that a place's own name need not contain ("Kharkiv" is a city).
SETTLEMENTS = frozenset({"city", "town", "village"})
NOT_SETTLEMENT_WORDS = frozenset({"region", "oblast", "krai", "province", "district", "territory", "republic",
                                  "peninsula", "island", "port", "station", "base", "bridge", "zoo", "airport",
                                  "square", "cosmodrome", "plant", "factory", "sea", "river", "east", "west"})
PLACE_SENTENCES_BACK = 6
# Continents, which the city list also has as small towns ("Asia", a town in the Philippines).
CONTINENTS = frozenset({"asia", "europe", "africa", "america", "americas", "oceania", "antarctica", "australia"})


def place_references(doc, mentions: list[Mention], gaz: Gazetteer, *, skip=None) -> list[Mention]:
    """A place mention (`coref=True`) for every definite description of a place whose referent
    the article has named: "the city" and "the town" mean the nearest settlement named before,
    "the region", "the zoo", "the bridge" the nearest place whose name has that word ("Kursk
    region", "Pyongyang Central Zoo"), "the North Korean capital" the capital of that state.
    `skip(offset)` marks text not analysed. In text order; never a place the article has not
    named, except a state's capital."""
    skip = skip or (lambda offset: False)
    places = sorted((m for m in mentions if m.kind == "place" and m.place is not None and not m.coref),
                    key=lambda m: m.start)
    taken = {i for m in mentions if m.kind == "place" for i in range(m.start, m.end)}
    sents = sentences(doc)
    sent_index = {s.start_char: i for i, s in enumerate(sents)}
    out = []
    for tok in doc:
        low = tok.lower_
        if low not in PLACE_NOUNS or tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.idx in taken or skip(tok.idx):
            continue
        if tok.dep_ in ("compound", "appos") or any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            continue  # "the city of Kharkiv", "the port city": the name is given here
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            continue  # "the port Vostochny"
        i = tok.i - 1
        while i >= 0 and i >= tok.i - 4 and i < doc[i].head.i <= tok.i and doc[i].dep_ in ("amod", "compound", "nmod"):
            i -= 1
        if i < 0 or doc[i].lower_ != "the":
            continue
        country, covered = _modifier_state(doc, i + 1, tok.i, gaz)
        if any(doc[j].pos_ == "PROPN" and j not in covered for j in range(i + 1, tok.i)):
            continue  # "the Kursk region": a name of its own
        earliest = sents[max(0, sent_index.get(tok.sent.start_char, 0) - PLACE_SENTENCES_BACK)].start_char
        before = [m for m in places if earliest <= m.start and m.end <= doc[i].idx]
        referent = _place_antecedent(before, low, country, gaz)
        if referent is None:
            continue
        span = doc[i:tok.i + 1]
        out.append(Mention("place", referent.name, span.text, span.start_char, span.end_char,
                           place=referent, coref=True))
    return out


def _place_antecedent(before: list[Mention], noun: str, country: str | None, gaz: Gazetteer):
    """The Place a description with head `noun` (of state `country`, if a modifier names one)
    refers to, among the place mentions `before` it; a state's capital needs no mention."""
    if noun == "capital" and country is not None:
        state = gaz.state(country)
        capital = next((s for s, name in gaz.capital_of.items() if state is not None and name == state.name), None)
        return gaz.place(capital) if capital else None
    for m in reversed(before):
        if m.place is None or (country is not None and m.place.country != country):
            continue
        words = set(m.surface.lower().split()) | set(m.name.lower().split())
        if noun == "capital":
            if gaz.capital_state(m.name) is not None:
                return m.place
        elif noun in SETTLEMENTS:
            city = gaz.city(m.name)
            if (not words & (NOT_SETTLEMENT_WORDS | CONTINENTS) and city is not None
                    and gaz.state(m.place.country) is not None and city.country == m.place.country):
                return m.place
        elif noun in words:
            return m.place
    return None


# Plural references to a pair named together: "they", "the two leaders", "both sides".
PLURAL_PRONOUNS = frozenset({"they"})
PLURAL_PERSON_NOUNS = frozenset({"leaders", "men", "women", "presidents", "ministers", "officials", "envoys"})
PLURAL_STATE_NOUNS = frozenset({"countries", "nations", "sides", "governments", "states", "neighbours", "neighbors",
                                "allies"})


def plural_references(doc, mentions: list[Mention], *, skip=None) -> list[Mention]:
    """Coreference mentions (one per referent, all on the same words) for a plural subject that
    stands for actors just named together: "Kim and Putin pledged ties when they met", "the two
    leaders signed", "both sides agreed". The referents are the nearest coordination of subjects
    ("X and Y") in this sentence for "they"; for "the two ...", also a subject and object of one
    verb ("X met Y") in this or the previous sentence: persons for "they" and "the two leaders",
    states for "the two countries" and "both sides" (for "sides", persons when no states were
    coordinated).
    In text order; nothing when no such pair was named."""
    skip = skip or (lambda offset: False)
    actors = sorted((m for m in mentions if m.kind == "actor" and m.actor is not None and not m.coref),
                    key=lambda m: m.start)
    groups = _coordinated_subjects(doc, actors)
    pairs = _subject_and_object(doc, actors)
    out = []
    wants: tuple[tuple[str, ...], ...]
    for tok in doc:
        if skip(tok.idx) or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        low = tok.lower_
        if low in PLURAL_PRONOUNS and tok.pos_ == "PRON":
            start, wants = tok.i, (("person",), ("state",))
        elif tok.tag_ == "NNS" and (low in PLURAL_PERSON_NOUNS or low in PLURAL_STATE_NOUNS):
            det = [c for c in tok.children if c.dep_ in ("det", "nummod", "predet")]
            if not any(c.lower_ in ("two", "both") for c in det) or any(c.dep_ == "prep" for c in tok.children):
                continue  # "two officials from the ministry": new people, not the pair just named
            start = min(c.i for c in det)
            wants = (("person",),) if low in PLURAL_PERSON_NOUNS else \
                (("state",), ("person",)) if low == "sides" else (("state",),)
        else:
            continue
        earliest = tok.sent.start - 1
        while earliest > 0 and not doc[earliest].is_sent_start:
            earliest -= 1  # the start of the previous sentence
        if low in PLURAL_PRONOUNS:
            earliest = tok.sent.start  # "they" may mean anyone plural named since: only in its sentence
        pool = groups if low in PLURAL_PRONOUNS else groups + pairs
        pair = None
        for want in wants:
            pair = next((g for g in sorted(pool, key=lambda g: g[-1][0], reverse=True)
                         if g[-1][0] < tok.i and g[0][0] >= max(earliest, 0)
                         and all(m.actor is not None and m.actor.type in want for _, m in g)), None)
            if pair:
                break
        if not pair:
            continue
        span = doc[start:tok.i + 1]
        out += [Mention("actor", m.name, span.text, span.start_char, span.end_char, actor=m.actor, coref=True)
                for _, m in pair]
    return out


def _mentions_by_root(doc, actors: list[Mention]) -> dict[int, Mention]:
    """Token index of each mention's syntactic head -> the (first) mention headed there."""
    root_of: dict[int, Mention] = {}
    for m in actors:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            root_of.setdefault(span.root.i, m)
    return root_of


def _coordinated_subjects(doc, actors: list[Mention]) -> list[list[tuple[int, Mention]]]:
    """Groups of two or more actor mentions coordinated as one clause's subject ("Kim Jong Un and
    Vladimir Putin met"), each as (token index, mention) pairs in text order."""
    root_of = _mentions_by_root(doc, actors)
    groups = []
    for i, m in root_of.items():
        t = doc[i]
        if t.dep_ not in ("nsubj", "nsubjpass"):
            continue
        members = [(i, m)] + [(c.i, root_of[c.i]) for c in t.subtree if c.dep_ == "conj" and c.i in root_of]
        names = {mm.name for _, mm in members}
        if len(names) >= 2:
            groups.append(sorted(members, key=lambda p: p[0]))
    return sorted(groups, key=lambda g: g[0][0])


def _subject_and_object(doc, actors: list[Mention]) -> list[list[tuple[int, Mention]]]:
    """Pairs of actor mentions that are one verb's subject and direct object ("Kim received
    Shoigu"), each as (token index, mention) pairs in text order."""
    root_of = _mentions_by_root(doc, actors)
    pairs = []
    for i, m in root_of.items():
        t = doc[i]
        if t.dep_ != "nsubj" or t.head.pos_ != "VERB":
            continue
        for c in t.head.children:
            if c.dep_ == "dobj" and c.i in root_of and root_of[c.i].name != m.name:
                pairs.append(sorted([(i, m), (c.i, root_of[c.i])], key=lambda p: p[0]))
    return pairs
