"""Actor and place mentions in a parsed article, each mapped to one canonical actor or place.

`find_mentions(doc)` works in one pass over a Doc the caller has already parsed:

1. candidates: every gazetteer surface form in the text (longest-match index lookup over token
   windows, case-sensitive for acronyms and one-word names), generic institutions joined to the
   country or place that modifies them ("Russian embassy in North Korea", "Kharkiv prosecutor's
   office", "Russia's Security Council": a body owned by a state is that state's), sites named by
   their kind ("Tumangang station", "the port of Dunai"), bodies introduced by their kind
   ("broadcaster SBS"), self-styled states ("Donetsk People's Republic"), the model's entities
   (PERSON ORG GPE LOC FAC NORP) with titles stripped and bounds fixed, and lone surnames; names
   of things (vessels, rockets, products, documents: "the freighter Volga", "Falcon 9", "the
   Minsk Agreements") and headline fragments are no candidates;
2. overlapping candidates resolved longest-first (gazetteer before model on equal length);
3. each survivor resolved with the parse: a capital is its state when it acts or owns and a place
   when it is a location, destination or target ("an attack on Kyiv"); a demonym is its state
   only when it modifies a collective of people; a country that is only the theatre of a war,
   one item of a background list, an example ("such as Iran"), the setting of something ("firms
   in Japan"), an attribute ("UK-based") or the owner of a named body is not an actor; named
   sites are places whatever the model's label; bylines and credits are dropped; unknown names
   get the country of a demonym, country or place in their phrase;
4. within the article, a surname or short form resolves to the full name seen nearest before it
   (else the most frequent, else the gazetteer's default), and context-bound aliases ("the
   North", "Far East") count only where the article names their region;
5. pronouns and definite descriptions ("he", "the minister", "the agency") become mentions of the
   actor they refer to (core.extract.coref), marked `coref`; so do definite descriptions of places
   ("the city", "the region", "the North Korean capital"), and plural subjects ("they", "the two
   leaders") of the pair just named together.

Pure: a Doc in, Mentions out; the gazetteer is read once per process.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field, replace

from core.extract.coref import place_references, plural_references, references
from core.extract.gazetteer import Alias, Gazetteer, Institution, load_gazetteer, normalise
from core.extract.nlp import doc_text, sentences, token_table
from core.model import Actor, Mention, Place

NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
QUOTES = "\"'“”‘’«»"
# Nouns whose compound modifier is a location ("Pyongyang airport"), not an actor.
PLACE_NOUNS = frozenset({"airport", "region", "street", "square", "suburb", "outskirts", "centre", "center",
                         "city", "district", "area", "residents", "resident", "hotel", "station", "time", "port"})
# Prepositions whose object acts with or against someone ("talks between Pyongyang and Moscow").
ACTOR_PREPS = frozenset({"between", "with", "against", "by", "for", "on", "over", "among", "toward", "towards"})
DIRECTION_PREPS = frozenset({"to", "from", "toward", "towards"})
SETTING_PREPS = frozenset({"in", "inside", "within", "across", "throughout"})
# Kinds of body that follow their name ("the Beyond Parallel project"); "site", "channel" or
# "daily" after a name are more often a place, a platform or a time ("the Punggye-ri site").
NAMED_BEFORE = frozenset({"project", "group", "institute", "firm", "company", "broadcaster", "newspaper", "outlet"})
# Second halves of hyphenated attributes whose first half is a place, not an actor ("UK-based").
ATTRIBUTE_PARTICIPLES = frozenset({"based", "born", "made", "built", "flagged", "registered", "headquartered",
                                   "owned", "listed", "educated", "trained"})


@dataclass
class Candidate:
    """A span of tokens that may name an actor or place, before resolution."""

    start: int  # token index
    end: int  # token index, exclusive
    kind: str  # an Alias kind, "built", "ner" or "short"
    entries: list[Alias] = field(default_factory=list)
    actor: Actor | None = None  # built institutions
    institution: str | None = None  # the generic institution a built actor or bare alias is
    place: Place | None = None  # sites named by their kind ("Tumangang station", "port of Dunai")
    label: str = ""  # NER label
    rank: int = 0  # lower wins between candidates of equal length


def find_mentions(doc, *, skip=None) -> list[Mention]:
    """Every actor and place mention in `doc`, in text order.

    `skip(offset) -> bool` marks text that is not analysed (no mention starts there); captions
    are analysed like any other text. Assumes `doc` was parsed by the project's model (NER, parse).
    """
    gaz = load_gazetteer()
    skip = skip or (lambda offset: False)
    aliases = alias_candidates(doc, gaz, skip)
    built = institution_candidates(doc, gaz, aliases)
    built += site_candidates(doc, gaz, skip, aliases)
    built += polity_candidates(doc, gaz, aliases)
    built += described_candidates(doc, gaz, skip, aliases)
    built += branch_candidates(doc, gaz, aliases)
    ner = ner_candidates(doc, gaz, skip, aliases + built)
    shorts = short_candidates(doc, gaz, skip, aliases + built, ner)
    lone = {c.start for c in shorts}
    ner = [c for c in ner if not (c.end - c.start == 1 and c.start in lone)]
    chosen = longest_first(aliases + built + ner + shorts)
    country_at = countries_by_token(aliases + built, gaz)  # all, so a name's own words count too
    resolved = with_hosts([(c, resolve(doc, c, gaz, country_at)) for c in chosen])
    mentions = in_context([(c, m) for c, m in resolved if m is not None])
    unresolved = [c for c, m in resolved if m is None]
    built_named = [(c.institution, m) for c, m in resolved if c.kind == "built" and m is not None]
    mentions += corefer_institutions(doc, gaz, [c for c in unresolved if c.kind == "institution"], built_named,
                                     mentions)
    mentions += corefer_short_names(doc, gaz, [c for c in unresolved if is_short_person(c)], mentions)
    mentions += references(doc, mentions, gaz, skip=skip)
    mentions += plural_references(doc, mentions, skip=skip)
    mentions += place_references(doc, mentions, gaz, skip=skip)
    return sorted(mentions, key=lambda m: (m.start, m.end))


# -- candidates ------------------------------------------------------------------------------


def alias_candidates(doc, gaz: Gazetteer, skip) -> list[Candidate]:
    """Every token window whose text is a gazetteer surface form (windows never cross lines)."""
    out = []
    n = len(doc)
    text = doc_text(doc)
    # token attributes read once: the windows look at each token many times
    words, starts, is_space, spaced = token_table(doc)
    # a window ends on a token with a letter or digit: a name never ends on punctuation ("Russia-",
    # "North Korea (")
    named = [w.isalnum() or any(ch.isalnum() for ch in w) for w in words]
    for i, word in enumerate(words):
        if is_space[i] or not word[:1].isalnum() or skip(starts[i]):
            continue
        if i >= 2 and words[i - 1] == "-" and not spaced[i - 2] and doc[i - 2].is_lower:
            continue  # "Komsomolsk-on-Amur", "Rostov-on-Don": the end of a longer name, not the river
        first = normalise(word).split()
        if first and first[0] not in gaz.first_words:
            continue
        for j in range(i + 1, min(n, i + gaz.max_words) + 1):
            if is_space[j - 1]:
                break  # a line break is a whitespace token: windows never cross lines
            if not named[j - 1]:
                continue
            surface = text[starts[i]:starts[j - 1] + len(words[j - 1])]
            entries = gaz.aliases(surface)
            if not entries and not gaz.may_continue(surface):
                break  # no longer window can be an alias either ("the" + "talks" ...)
            if entries:
                kinds = {e.kind for e in entries}
                kind = next(k for k in ("actor", "people", "capital", "place", "institution", "demonym") if k in kinds)
                chosen = [e for e in entries if e.kind == kind]
                if all(e.context for e in chosen) and j < n and doc[j].is_title and not doc[j].is_sent_start:
                    continue  # "the North Korean capital": the start of a longer name, not "the North"
                inst = chosen[0].name if kind == "institution" else None
                rank = {"demonym": 3, "institution": 3}.get(kind, 0)
                out.append(Candidate(i, j, kind, chosen, institution=inst, rank=rank))
    return out


def institution_candidates(doc, gaz: Gazetteer, aliases: list[Candidate]) -> list[Candidate]:
    """Generic institutions joined to their country or place: "Russia's foreign ministry",
    "the Russian Embassy in North Korea", "Kharkiv Prosecutor's Office" (one actor each)."""
    ending: dict[int, list[Candidate]] = {}
    starting: dict[int, list[Candidate]] = {}
    for c in aliases:
        if c.kind in ("actor", "capital", "demonym", "place", "people"):
            ending.setdefault(c.end, []).append(c)
            starting.setdefault(c.start, []).append(c)
    out = []
    for c in aliases:
        if c.kind == "actor":
            out += _owned_body(doc, gaz, c, ending)
        if c.kind != "institution":
            continue
        inst = gaz.institution(doc[c.start:c.end].text)
        if inst is None:
            continue
        last = doc[c.end - 1]
        if last.dep_ == "compound" and last.head.i >= c.end and last.head.pos_ == "PROPN" and last.head.is_title:
            continue  # "Canada's Parliament Research Institute": the word begins a longer name
        if inst.office and c.end < len(doc) and doc[c.end].is_title and doc[c.end].pos_ == "PROPN":
            continue  # "Prosecutor General Andriy Kostin": a title before the person
        left = c.start - 1 if c.start > 0 and doc[c.start - 1].text in POSSESSIVE else c.start
        owner, owner_start = _modifier_ending(doc, gaz, left, ending)
        end = c.end
        host = None
        if end < len(doc) and doc[end].lower_ in ("in", "to", "of") and (inst.host or doc[end].lower_ == "of"):
            nxt = end + 1 + (1 if end + 1 < len(doc) and doc[end + 1].lower_ == "the" else 0)
            for h in starting.get(nxt, []):
                state = _state_of(h, gaz)
                if state is None:
                    continue
                if doc[end].lower_ == "of" and owner is None:
                    owner, end = state, h.end
                elif doc[end].lower_ != "of" and owner is not None:
                    host, end = state, h.end
                break
        if owner is None:
            continue
        actor = _built_actor(gaz, inst, owner, host)
        out.append(Candidate(owner_start if owner_start is not None else c.start, end, "built",
                             actor=actor, institution=inst.name))
    return out


def described_candidates(doc, gaz: Gazetteer, skip, known: list[Candidate]) -> list[Candidate]:
    """Names the text introduces by their kind ("broadcaster SBS", "the independent outlet
    Mediazona", "another firm, Trans Kapital LLC", "the Telegram channel Kremlin Snuffbox", "the
    Beyond Parallel project"): a medium or organisation, even as one word."""
    named = {i for c in known if c.kind in ("actor", "people", "capital", "demonym") for i in range(c.start, c.end)}
    out = []
    for tok in doc:
        kind = gaz.descriptor_of.get(tok.lower_)
        if kind is None or not tok.is_lower or tok.pos_ != "NOUN" or skip(tok.idx):
            continue
        before = _name_run(doc, tok.i, -1, named) if tok.lower_ in NAMED_BEFORE else None
        if before is not None and before[0] > 0 and doc[before[0] - 1].lower_ == "the" and \
                normalise(doc[before[0]:before[1]].text) not in gaz.non_actors and \
                all(doc[i].head.i == tok.i or doc[i].head.i in range(*before) for i in range(*before)):
            span = doc[before[0]:before[1]]  # "the Beyond Parallel project"
            out.append(Candidate(span.start, span.end, "built", actor=Actor(span.text, kind, None, None),
                                 institution=span.text, rank=-1))
        at = tok.i + 1
        if at < len(doc) and doc[at].text == ",":
            at += 1  # "another firm, Trans Kapital LLC"
        if at < len(doc) and doc[at].lower_ == "the" and doc[at].is_title:
            at += 1  # "the news site The War Zone"
        run = _name_run(doc, at - 1, +1, {})
        if run is None or run[0] != at or all(i in named for i in range(*run)):
            continue  # "the channel Kremlin Snuffbox" holds a known name but is not it
        end = run[1] + (1 if run[1] < len(doc) and doc[run[1]].text in gaz.company_suffixes else 0)
        if doc[run[0]].ent_type_ == "PERSON" and end - run[0] >= 2 and kind == "organisation":
            continue  # "the company's Ivan Petrov": a person after all
        span = doc[run[0]:end]
        actor = Actor(span.text, kind, None, None)
        out.append(Candidate(run[0], end, "built", actor=actor, institution=span.text, rank=-1))
    return out


def branch_candidates(doc, gaz: Gazetteer, aliases: list[Candidate]) -> list[Candidate]:
    """A known medium's national branch written with a hyphen ("Interfax-Ukraine", "Reuters-Japan"
    style names): one medium with the country of its second half, not the medium and a state."""
    out = []
    for c in aliases:
        if c.kind != "actor" or gaz.actors[c.entries[0].name].type != "media" or c.end + 1 >= len(doc):
            continue
        dash, tail = doc[c.end], doc[c.end + 1]
        if dash.text != "-" or doc[c.end - 1].whitespace_ or dash.whitespace_ or not tail.is_title:
            continue
        state = gaz.actor(tail.text)
        country = state.country if state is not None and state.type == "state" else None
        name = doc[c.start:c.end + 2].text
        actor = Actor(name, "media", country, f"{country}MED" if country else None)
        out.append(Candidate(c.start, c.end + 2, "built", actor=actor, institution=name, rank=-1))
    return out


def polity_candidates(doc, gaz: Gazetteer, aliases: list[Candidate]) -> list[Candidate]:
    """Self-styled states named after a place ("the Donetsk People's Republic"; "the Donetsk and
    Luhansk People's Republics" is two of them): an organisation with the place's country."""
    places = {c.end: c for c in aliases if c.kind == "place"}
    out = []
    for end, c in places.items():
        tail = end
        while tail < len(doc) and tail - end < 4 and (doc[tail].is_title or doc[tail].text in POSSESSIVE):
            tail += 1
            if doc[tail - 1].text in gaz.polity_heads:
                break
        if tail == end or doc[tail - 1].text not in gaz.polity_heads:
            continue
        words = doc[end:tail].text
        singular = words[:-1] if words.endswith("Republics") else words
        place = gaz.places[c.entries[0].name]
        out.append(_polity(doc, c.start, tail, f"{doc[c.start:c.end].text} {singular}", place.country))
        if words != singular and c.start >= 2 and doc[c.start - 1].lower_ == "and" and c.start - 1 in places:
            other = places[c.start - 1]
            name = f"{doc[other.start:other.end].text} {singular}"
            out.append(_polity(doc, other.start, other.end, name, gaz.places[other.entries[0].name].country))
    return out


def _polity(doc, start: int, end: int, name: str, country: str | None) -> Candidate:
    actor = Actor(name, "organisation", country, f"{country}REB" if country else None)
    return Candidate(start, end, "built", actor=actor, institution=name, rank=-1)


def _owned_body(doc, gaz: Gazetteer, c: Candidate, ending: dict) -> list[Candidate]:
    """A known organisation's name owned by another state ("Russia's Security Council", "China's
    Congress") as that state's body: the gazetteer's entry for it ("Security Council of
    Russia") or a generic "<Russian> <Security Council>" with the owner's country, never the
    other state's or an international body of the same name. [] when no state owns it."""
    actor = gaz.actors[c.entries[0].name]
    if actor.type not in ("organisation",):
        return []
    left = c.start - 1 if c.start > 0 and doc[c.start - 1].text in POSSESSIVE else c.start
    owner, owner_start = _modifier_ending(doc, gaz, left, ending)
    if not isinstance(owner, Actor) or owner.type != "state" or owner.country == actor.country:
        return []
    words = doc[c.start:c.end].text
    role = gaz.role_of_head.get(doc[c.end - 1].text, "")
    if not role:
        return []  # "Ukraine's NATO allies": only a generic kind of body ("Council") can be any state's
    inst = Institution(words, role)
    return [Candidate(owner_start, c.end, "built", actor=_built_actor(gaz, inst, owner, None), institution=words)]


def _modifier_ending(doc, gaz: Gazetteer, end: int, ending: dict):
    """(state or place, first token) of the country or place name ending at token `end`."""
    for m in ending.get(end, []):
        state = _state_of(m, gaz)
        if state is not None:
            return state, m.start
        if m.kind == "place":
            return gaz.places[m.entries[0].name], m.start
    for width in (1, 2, 3):
        start = end - width
        if start < 0 or not all(t.is_title for t in doc[start:end]):
            continue
        place = gaz.city(doc[start:end].text)
        if place is not None:
            return place, start
    return None, None


def _state_of(c: Candidate, gaz: Gazetteer) -> Actor | None:
    """The state a country, capital, demonym or people candidate names, else None."""
    if not c.entries or c.kind not in ("actor", "capital", "demonym", "people"):
        return None
    actor = gaz.actors.get(c.entries[0].name)
    return actor if actor is not None and actor.type == "state" and not c.entries[0].context else None


def _built_actor(gaz: Gazetteer, inst, owner, host: Actor | None) -> Actor:
    """The actor "<Russian|Kharkiv> <Institution>[ in <host>]", or the gazetteer's own entry."""
    if isinstance(owner, Actor) and inst.office:
        name, country = f"{inst.name} of {owner.name}", owner.country
    elif isinstance(owner, Actor):
        name, country = f"{gaz.adjective(owner)} {inst.name}", owner.country
    else:
        name, country = f"{owner.name} {inst.name}", owner.country
    if host is not None and host.country != country:
        name += f" in {host.name}"
    known = gaz.actor(name)
    if known is not None and known.type != "state":
        return known
    return Actor(name, "organisation", country, f"{country or ''}{inst.role}")


def site_candidates(doc, gaz: Gazetteer, skip, known: list[Candidate]) -> list[Candidate]:
    """Places named by their kind: a proper name before a site noun ("Tumangang station", "the
    Ashuluk firing range", "Hwasong district"; the place is the name, the span takes the noun
    too), after one and "of" ("the port of Dunai"), or the object of a path preposition after a
    motion word or near a known city ("from Rajin to Dunai", "a depot near Tikhoretsk")."""
    named = {}
    for c in known:
        if c.kind in ("actor", "people", "demonym", "institution", "capital"):
            named.update({i: c for i in range(c.start, c.end)})
    out = []
    for tok in doc:
        if skip(tok.idx):
            continue
        if tok.is_lower and tok.pos_ == "NOUN" and tok.lemma_ in gaz.site_nouns:
            kind_start = tok.i  # "the Ashuluk firing range": the kind may be several lower-case words
            while kind_start > 0 and doc[kind_start - 1].is_lower and doc[kind_start - 1].head.i == tok.i \
                    and doc[kind_start - 1].dep_ in ("compound", "amod"):
                kind_start -= 1
            run = _name_run(doc, kind_start, -1, named)
            if run is not None and all(doc[i].head.i == tok.i or doc[i].head.i in range(*run) for i in range(*run)):
                out.append(_site(doc, gaz, run, (run[0], tok.i + 1)))
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of":
                run = _name_run(doc, tok.i + 1, +1, named)
                if run is not None:
                    out.append(_site(doc, gaz, run, run))
        elif tok.lower_ in gaz.path_preps and tok.dep_ == "prep":
            run = _name_run(doc, tok.i, +1, named)
            if run is None:
                continue
            governor = tok.head.lemma_.lower()
            place = gaz.place(doc[run[0]:run[1]].text)
            if place is None and (any(doc[i].ent_type_ in ("ORG", "NORP") or doc[i].text in gaz.org_heads
                                      for i in range(*run))
                                  or (run[1] - run[0] > 1 and doc[run[0]].ent_type_ == "PERSON")):
                continue  # "came from Conflict Armament Research", "sent to Olga Petrova": not places
            if governor in gaz.motion_verbs or tok.lower_ in ("near", "via") or place is not None \
                    or _paired_with_place(tok, gaz):
                out.append(_site(doc, gaz, run, run))
    return out


def _paired_with_place(prep, gaz: Gazetteer) -> bool:
    """Whether a "to" phrase has a "from" sibling (or the reverse) whose object is a known place:
    "from Rajin to Ostrovka" names two ends of one route."""
    other = {"to": "from", "from": "to"}.get(prep.lower_)
    for sib in prep.head.children:
        if sib.lower_ == other and sib.dep_ == "prep":
            objs = [t for t in sib.children if t.dep_ == "pobj"]
            if objs and gaz.place(objs[0].text) is not None:
                return True
    return False


def _name_run(doc, at: int, step: int, named: Container[int]) -> tuple[int, int] | None:
    """Token bounds of the run of capitalised proper nouns right before (`step` -1) or after
    (`step` +1) token `at` that no gazetteer actor covers, or None."""
    i = at + step
    idx: list[int] = []
    while 0 <= i < len(doc) and len(idx) < 4:
        t = doc[i]
        if (t.pos_ == "PROPN" or t.ent_type_ or (t.is_upper and len(t) <= 4)) and t.text[:1].isupper() and t.is_alpha \
                and i not in named:
            idx.append(i)
        elif t.text in POSSESSIVE and idx and step < 0 and doc[i - 1].pos_ == "PROPN" and t.whitespace_ != "":
            idx.append(i)  # "Simon's Town naval base": an inner possessive
        else:
            break
        i += step
    idx.sort()
    while idx and doc[idx[0]].text in POSSESSIVE:
        idx.pop(0)  # "South Africa's Simon's Town": the owner's possessive is not part of the name
    if not idx or (doc[idx[0]].is_sent_start and step < 0 and len(idx) == 1):
        return None
    return idx[0], idx[-1] + 1


def _site(doc, gaz: Gazetteer, name: tuple[int, int], span: tuple[int, int]) -> Candidate:
    text = doc[name[0]:name[1]].text
    place = gaz.place(text) or Place(text, None)
    return Candidate(span[0], span[1], "site", place=place, rank=1)


def ner_candidates(doc, gaz: Gazetteer, skip, known: list[Candidate]) -> list[Candidate]:
    """The model's entities the gazetteer does not already cover, titles and articles trimmed."""
    covered = {(c.start, c.end) for c in known}
    out = []
    things: set[str] = set()
    known_ends = {c.end for c in known}
    for ent in doc.ents:
        if ent.label_ not in NER_LABELS or skip(ent.start_char):
            continue
        person = _person_like(doc, gaz, ent, ent.label_)
        start, end = trim_entity(doc, gaz, ent.start, ent.end, person=person)
        start, end = _name_bounds(doc, gaz, start, end, person=person, known_ends=known_ends)
        while start < end and doc[start].pos_ == "VERB" and doc[start].tag_ in ("VBG", "VBN", "VB"):
            start += 1  # "Restoring Mariupol alone would cost ...": the verb is not part of the name
        if start < end and headline_fragment(doc, start, end):
            continue
        if start >= end or (start, end) in covered or is_garbage(doc, gaz, start, end):
            continue
        if any(start <= c.start and c.end <= end and _is_named_body(c, gaz) for c in known):
            continue  # "U.S. National Security Council": the gazetteer splits it into its actors
        if names_a_thing(doc, gaz, start, end):
            things.add(doc[start:end].text)
            continue
        out.append(Candidate(start, end, "ner", label=ent.label_, rank=1))
    # a name the article once shows to be a thing ("the freighter Volga") is that thing throughout
    return [c for c in out if doc[c.start:c.end].text not in things]


def headline_fragment(doc, start: int, end: int) -> bool:
    """Whether an entity of several words sits in a title-case line (a headline or link) and the
    article never writes it outside such lines: the model's cut through a headline ("Kim Attend
    Military Parade"), not a name."""
    if end - start < 2 or not _title_case_line(doc, start):
        return False
    text = doc_text(doc)
    name = doc[start:end].text
    at = text.find(name)
    while at >= 0:
        tok = doc.char_span(at, at + len(name), alignment_mode="expand")
        if tok is not None and not _title_case_line(doc, tok.start):
            return False
        at = text.find(name, at + 1)
    return True


def _title_case_line(doc, i: int) -> bool:
    """Whether the line holding token `i` is written in title case (four or more long words,
    three in four capitalised) and does not end as a sentence does."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, doc[i].idx) + 1
    line_end = text.find("\n", doc[i].idx)
    line = text[line_start:line_end if line_end >= 0 else None].strip()
    if line.endswith((".", ".\"", ".”")):
        return False  # a sentence, however many names it holds
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _name_bounds(doc, gaz: Gazetteer, start: int, end: int, *, person: bool, known_ends=frozenset()) -> tuple[int, int]:
    """Entity bounds fixed where the model cuts names: a known owner (a gazetteer name ending at
    one of `known_ends`) before a possessive is not part of the organisation ("the Treasury
    Department's Office of Foreign Assets Control", but "People's Palace of Culture"); an ordinal
    ("224th Flight Unit") and a company suffix ("Trans Kapital LLC") are; a person's first
    name word between a title and the rest ("Minister Im Chon Il") is too."""
    if person:
        if start >= 2 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and \
                doc[start - 1].lower_ not in gaz.titles and not gaz.aliases(doc[start - 1].text) and \
                doc[start - 2].lower_ in {w for t in gaz.titles for w in t.split()}:
            start -= 1
        return start, end
    for i in range(end - 2, start, -1):
        if doc[i].text in POSSESSIVE and i in known_ends and end - i - 1 >= 2 and doc[i + 1].is_title:
            start = i + 1
            break
    if start > 0 and re.fullmatch(r"\d+(st|nd|rd|th)", doc[start - 1].text):
        start -= 1
    if end < len(doc) and doc[end].text in gaz.company_suffixes:
        end += 1
    return start, end


def names_a_thing(doc, gaz: Gazetteer, start: int, end: int) -> bool:
    """Whether the name at tokens [start, end) names a thing (a vessel, aircraft, rocket, weapon,
    product, treaty, calendar), not an actor or place: a model number or letter follows it
    ("Falcon 9", "IRIS-T"), its own head word is a kind of thing ("the Minsk Agreements", "the
    Orient Express"), a kind-of-thing noun classifies it, before it ("the freighter
    Volga") or as its head ("the Sojourner rocket", "the Songun calendar"), or it is the make of
    counted things ("24 Orlov trotters"; "3,000 Wagner fighters" are people, so not)."""
    root = doc[start:end].root
    if end - start >= 2 and facility_head(doc[start:end]) in gaz.thing_heads:
        return True  # "the Minsk Agreements", "the Orient Express": a document, a train, a plan
    if end < len(doc):
        nxt = doc[end]
        if nxt.like_num and (nxt.head.i == root.i or (nxt.dep_ == "nummod" and start <= nxt.head.i < end)):
            return True
        if nxt.text in ("-", "‐", "‑") and not doc[end - 1].whitespace_ and end + 1 < len(doc):
            tail = doc[end + 1]
            if tail.like_num or (len(tail.text) <= 2 and tail.text.isupper()):
                return True
    classifiers = [t for t in root.children if t.dep_ in ("compound", "amod", "nmod") and t.i < start]
    if any(_thing_word(t, gaz) for t in classifiers):
        return True
    head = root.head
    if root.dep_ in ("compound", "nmod", "appos") and head.i >= end and _thing_word(head, gaz):
        return True
    if root.dep_ == "compound" and head.tag_ == "NNS" and head.lower_ not in gaz.collectives and any(
            ch.dep_ == "nummod" for ch in head.children):
        return True  # "24 Orlov trotters", "ten Volvo trucks": a make or breed of counted things
    return root.dep_ == "appos" and head.i < start and _thing_word(head, gaz)


def _thing_word(token, gaz: Gazetteer) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and token.is_lower and token.lemma_.lower() in gaz.thing_nouns


def _is_named_body(c: Candidate, gaz: Gazetteer) -> bool:
    """Whether a candidate is a known person, organisation or medium (not a state or place)."""
    if c.kind == "built":
        return False
    return c.kind == "actor" and gaz.actors[c.entries[0].name].type != "state"


def _person_like(doc, gaz: Gazetteer, ent, label: str) -> bool:
    """Whether an entity labelled `label` is a person's name: PERSON, or an ORG of 2-3 capitalised
    words without an organisation noun right after a title ("Communist lawmaker Kazbek Taysaev")."""
    if label == "PERSON":
        return True
    if label != "ORG" or not 2 <= len(ent) <= 3:
        return False
    words = [t for t in ent if t.text not in POSSESSIVE]
    if not all(t.is_title and t.is_alpha for t in words) or any(t.text in gaz.org_heads for t in words):
        return False
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return before in gaz.titles


def trim_entity(doc, gaz: Gazetteer, start: int, end: int, *, person: bool) -> tuple[int, int]:
    """Token bounds of an entity without leading articles and titles (and, for persons, country
    words: "Russian President Vladimir Putin" -> "Vladimir Putin") or trailing possessives."""
    title_words = gaz.title_words - {"of", "state"}
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end:
        tok = doc[start]
        low = tok.lower_
        if low in ("the", "a", "an") or tok.is_punct or tok.is_space or (tok.is_lower and not person) \
                or (person and (low in title_words or tok.is_lower or tok.text in POSSESSIVE or gaz.aliases(tok.text))):
            start += 1
        else:
            break
    return start, end


def is_garbage(doc, gaz: Gazetteer, start: int, end: int) -> bool:
    """Whether an entity span cannot be an actor or place name: digits, no capital letter, no Latin
    letter, a known platform or weapon, a lone common word, an unknown all-caps word (datelines,
    credits), or a title in quotes."""
    span = doc[start:end]
    text = span.text
    digits = re.sub(r"^\d+(st|nd|rd|th)\s", "", text) if len(span) >= 3 else text
    if any(ch.isdigit() for ch in digits) or not any(ch.isupper() for ch in text):
        return True
    if not re.search(r"[A-Za-z]", text):
        return True
    if normalise(text) in gaz.non_actors or any(normalise(t.text) in gaz.non_actors for t in span if t.is_title):
        return True
    if len(span) == 1:
        tok = span[0]
        if tok.is_stop or tok.lower_ in gaz.collectives or tok.lower_ in gaz.titles or len(tok.text) < 2:
            return True
        if tok.is_upper and len(tok.text) > 4:
            return True
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in gaz.titles:
            return True  # "Defense" in "Defense Minister Andrei Belousov" is part of a title
    text = doc_text(doc)
    before = text[span.start_char - 1:span.start_char] if span.start_char else ""
    after = text[span.end_char:span.end_char + 1]
    return bool(before and after and before in QUOTES and after in QUOTES)


def short_candidates(doc, gaz: Gazetteer, skip, known: list[Candidate], ner: list[Candidate]) -> list[Candidate]:
    """Lone capitalised words, outside `known` gazetteer spans and multiword entities, that are the
    surname or short form of a person: one the article names in full, or one the gazetteer has
    a default for ("Putin")."""
    taken: set[int] = set()
    for c in known + [c for c in ner if c.end - c.start > 1]:
        taken.update(range(c.start, c.end))
    parts = set(gaz.default_short)
    for c in known + ner:
        if c.end - c.start >= 2 and ((c.kind == "ner" and c.label == "PERSON") or _is_person_alias(c, gaz)):
            parts.update(_name_parts(doc[c.start:c.end].text))
    lone_entities = {c.start for c in ner if c.end - c.start == 1}
    out = []
    for tok in doc:
        if tok.i in taken or not tok.is_title or skip(tok.idx):
            continue
        if tok.text in parts and (tok.pos_ == "PROPN" or tok.i in lone_entities):
            out.append(Candidate(tok.i, tok.i + 1, "short", rank=2))
    return out


def _is_person_alias(c: Candidate, gaz: Gazetteer) -> bool:
    return c.kind == "actor" and gaz.actors[c.entries[0].name].type == "person"


def _name_parts(name: str) -> set[str]:
    words = name.split()
    return {words[0], words[-1]} if len(words) >= 2 else set()


def longest_first(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longer spans first, then lower rank, then earlier."""
    taken: set[int] = set()
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rank, c.start)):
        span = range(c.start, c.end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


# -- resolution ------------------------------------------------------------------------------


def countries_by_token(cands: list[Candidate], gaz: Gazetteer) -> dict[int, str]:
    """token index -> ISO3 of every country, capital, demonym, place or institution candidate."""
    out = {}
    for c in sorted(cands, key=lambda c: c.end - c.start):  # the longest name wins a token
        country = None
        if c.kind == "site":
            assert c.place is not None  # a site candidate carries its place
            country = c.place.country
        elif c.kind == "built":
            assert c.actor is not None  # a built candidate carries its actor
            country = c.actor.country
        elif c.kind == "place":
            country = gaz.places[c.entries[0].name].country
        elif c.entries:
            actor = gaz.actors.get(c.entries[0].name)
            country = actor.country if actor is not None else None
        if country:
            for i in range(c.start, c.end):
                out[i] = country
    return out


def resolve(doc, c: Candidate, gaz: Gazetteer, country_at: dict[int, str]) -> Mention | None:
    """The mention a chosen candidate makes on its own, or None (dropped, or left for the
    article-level passes: bare institutions and short names)."""
    span = doc[c.start:c.end]
    if c.kind == "site":
        assert c.place is not None  # a site candidate carries its place
        return _place_mention(span, c.place)
    if c.kind == "built":
        actor = c.actor
        assert actor is not None  # a built candidate carries its actor
        if actor.country is None and actor.type in ("media", "organisation"):
            country = guess_country(span, country_at)  # "the U.S. military news site The War Zone"
            role = "MED" if actor.type == "media" else ""
            actor = replace(actor, country=country, code=f"{country}{role}" if country else None)
        return _actor_mention(span, actor)
    if c.kind == "actor":
        actor = gaz.actors[c.entries[0].name]
        if actor.type == "person" and _continues_into_org(doc, c.end, gaz):
            return None  # "Kim Il Sung Military University": the person names the body
        if actor.type in ("organisation", "media") and names_a_thing(doc, gaz, c.start, c.end):
            return None  # "a CCTV camera", "the Nikkei 225"
        if actor.type == "state" and attribute_compound(doc, c.end):
            return None  # "a UK-based group": where the group sits, not who acts
        if actor.type == "state" and (only_theatre(span.root, gaz) or only_listed(span.root, gaz)
                                      or owns_named_body(span.root, gaz) or only_setting(span.root, gaz)):
            return None
        return _actor_mention(span, actor)
    if c.kind == "people":
        return _actor_mention(span, gaz.actors[c.entries[0].name])
    if c.kind == "demonym":
        return _actor_mention(span, gaz.actors[c.entries[0].name]) if modifies_collective(span, gaz) else None
    if c.kind == "capital":
        return capital_mention(span, gaz.actors[c.entries[0].name], gaz)
    if c.kind == "place":
        return _place_mention(span, gaz.places[c.entries[0].name])
    if c.kind == "ner":
        return ner_mention(doc, c, gaz, country_at)
    return None  # bare institutions and short names are resolved against the whole article


def _actor_mention(span, actor: Actor) -> Mention:
    return Mention("actor", actor.name, span.text, span.start_char, span.end_char, actor=actor)


def _place_mention(span, place: Place) -> Mention:
    return Mention("place", place.name, span.text, span.start_char, span.end_char, place=place)


def capital_mention(span, state: Actor, gaz: Gazetteer) -> Mention | None:
    """A capital or seat of government as its state (when it acts or owns) or as a place (when it
    is where something happens or goes); None for an all-caps dateline ("SEOUL:")."""
    if span.text.isupper() and len(span.text) > 3:
        return None
    if capital_acts(span.root, gaz):
        return _actor_mention(span, state)
    place = gaz.place(span.text)
    return _place_mention(span, place) if place is not None else _actor_mention(span, state)


def capital_acts(token, gaz: Gazetteer) -> bool:
    """Whether a capital's token is used as its state, from its role in the parse: subject,
    possessor, object of a non-motion verb, object of 'between/with/against/by...', or the
    recipient in 'to' after a non-motion word; a location, destination or origin otherwise."""
    t = token
    for _ in range(6):
        dep = t.dep_
        if dep in ("poss", "nsubj", "nsubjpass", "agent", "csubj"):
            return True
        if dep in ("dobj", "obj", "dative"):
            return t.head.lemma_.lower() not in gaz.motion_verbs
        if dep == "pobj":
            prep = t.head.lower_
            if prep in ("on", "against") and t.head.head.lemma_.lower() in gaz.target_nouns | {
                    n.rstrip("s") for n in gaz.target_nouns}:
                return False  # "an attack on Kyiv": the target of a strike is a place
            if prep in ACTOR_PREPS - DIRECTION_PREPS:
                return True
            governor = t.head.head.lemma_.lower()
            if prep in DIRECTION_PREPS:
                return governor not in gaz.motion_verbs
            # "concern in Washington": the capital holds the attitude
            return prep == "in" and (governor in gaz.attitude_nouns or t.head.head.lower_ in gaz.attitude_nouns)
        if dep in ("compound", "nmod", "npadvmod", "amod"):
            head = t.head
            return head.lemma_.lower() not in PLACE_NOUNS and head.text not in gaz.landmark_heads
        if dep in ("conj", "appos", "flat") and t.head is not t:
            t = t.head
            continue
        return False
    return False


def only_theatre(token, gaz: Gazetteer) -> bool:
    """Whether a country is named only as the theatre or target of a war ("the Ukraine war",
    "the war in/against Ukraine", "attacks on Ukraine"), which does not make it an actor."""
    t = token
    while t.dep_ in ("conj", "appos") and t.head is not t:
        t = t.head
    if t.dep_ in ("compound", "nmod", "amod") and t.head.lemma_.lower() in gaz.setting_nouns:
        return True
    if t.dep_ == "pobj":
        governor = t.head.head
        return governor.lemma_.lower() in gaz.setting_nouns and governor.i != t.head.i
    return False


def attribute_compound(doc, end: int) -> bool:
    """Whether the name ending at token `end` is the first half of a hyphenated attribute
    ("UK-based", "Russian-made", "Iran-built", "Panama-flagged")."""
    if end + 1 >= len(doc) or doc[end].text not in ("-", "‐", "‑") or doc[end - 1].whitespace_:
        return False
    return doc[end + 1].lower_ in ATTRIBUTE_PARTICIPLES


def only_setting(token, gaz: Gazetteer) -> bool:
    """Whether a state is named only as where something is ("his studies in Switzerland", "firms
    based in Japan"): the object of "in/inside/within/across/throughout", unless an attitude is
    held there ("concern in Japan"), someone goes there ("arrived in Japan": the host) or its
    people are meant ("officials in Japan")."""
    t = token
    while t.dep_ in ("conj", "appos") and t.head is not t:
        t = t.head
    if t.dep_ != "pobj" or t.head.lower_ not in SETTING_PREPS:
        return False
    governor = t.head.head
    words = {governor.lemma_.lower(), governor.lower_}
    # "arrived in North Korea": the host of a visit; "officials in the North": its people
    return not words & (gaz.attitude_nouns | gaz.motion_verbs | gaz.collectives)


def only_listed(token, gaz: Gazetteer) -> bool:
    """Whether a state is one item of a list of three or more names given as background ("firms
    in eight countries, among them France, Italy, Brazil and Norway"): the list is an
    apposition or loose modifier, or follows "among/including/like/as/in"; a list that is the
    subject or object of a clause ("France, Italy and Spain signed") is made of actors. Examples
    after "such as" are background however many."""
    head = token
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    prep = head.head
    if head.dep_ == "pobj" and prep.lower_ == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such":
        return True  # "countries hostile to the West such as Iran": examples of a class
    items = [head] + [t for t in head.subtree if t.dep_ == "conj" and t.pos_ == "PROPN"]
    if len(items) < 3:
        return False
    if head.dep_ in ("appos", "npadvmod"):
        return True
    return head.dep_ == "pobj" and head.head.lower_ in gaz.list_preps


def owns_named_body(token, gaz: Gazetteer) -> bool:
    """Whether a state is named only as the owner of a named organisation ("Canada's Parliament
    Research Institute said"): the organisation speaks, not the state."""
    if token.dep_ != "poss":
        return False
    head = token.head
    return head.pos_ == "PROPN" and head.text in gaz.org_heads and any(
        t.dep_ == "compound" and t.pos_ == "PROPN" for t in head.children)


def modifies_collective(span, gaz: Gazetteer) -> bool:
    """Whether a demonym modifies a collective of people ("a Russian delegation", "North Korean
    officials"), which makes its state an actor, rather than a thing ("North Korean missiles")."""
    head = span.root.head
    for _ in range(3):
        if head.lower_ in gaz.collectives or (head.lemma_.lower() in gaz.collectives and head.tag_ == "NNS"):
            return True
        if head.dep_ != "compound" or head.head is head:
            break
        head = head.head
    return False


def ner_mention(doc, c: Candidate, gaz: Gazetteer, country_at: dict[int, str]) -> Mention | None:
    """A mention for a model entity: a known place or city, a landmark, a person or an
    organisation; None for unknown GPE/NORP, bylines and lone words left to coreference."""
    span = doc[c.start:c.end]
    text = span.text
    multiword_person = c.label == "PERSON" and len(span) >= 2
    if not multiword_person and not _has_org_head(span, gaz):
        place = gaz.place(text)
        if place is not None and c.start > 0 and doc[c.start - 1].lower_ == "the" and gaz.city(text) == place \
                and len(span) == 1:
            return None  # "the Volga": a city's name is not preceded by "the"; a ship's or river's is
        if place is not None:
            return _place_mention(span, place)
    if len(span) >= (3 if c.label == "PERSON" else 2) and facility_head(span) in gaz.landmark_heads:
        # "Kuma Satellite Launching Ground", "Palace of Culture": a site, whatever the model's label
        # (a person's name of three words never ends in "Base" or "Ground"); a leading state name
        # ("U.S. Andersen Air Force Base") gives the country, not the name
        country = guess_country(span, country_at, inside=True)
        while len(span) > 2 and _is_state_word(span[0].text, gaz):
            span = doc[span.start + 1:span.end]
        return _place_mention(span, Place(span.text, country))
    if _introduced_as(span, gaz.site_nouns):
        # "Dunai, a small military port east of Vladivostok": a site, whatever the model's label
        return _place_mention(span, gaz.place(text) or Place(text, guess_country(span, country_at)))
    if c.label != "PERSON" and _introduced_as_person(span, gaz):
        # "Oleksandr Kindratenko, a spokesman for ...": the model's GPE is a person with a role
        return _actor_mention(span, Actor(text, "person", guess_country(span, country_at), None))
    if c.label in ("GPE", "LOC") or (c.label == "FAC" and not _has_org_head(span, gaz)):
        return None
    if c.label == "PERSON" and _continues_into_org(doc, c.end, gaz):
        return None  # "Kim Il Sung Military University": the person names the body
    if c.label == "NORP":
        return None
    if is_byline(doc, span.start_char, span.end_char, gaz):
        return None
    person = _person_like(doc, gaz, span, c.label)
    if person:
        if len(span) < 2:
            return None
        known = near_gazetteer_person(text, gaz)
        actor = known or Actor(text, "person", guess_country(span, country_at), None)
        if known is None and actor.country:
            actor = Actor(actor.name, actor.type, actor.country, actor.country)
        return _actor_mention(span, actor)
    country = guess_country(span, country_at, inside=True)
    role = gaz.role_of_head.get(span[-1].text, "")
    kind = "media" if role == "MED" else "organisation"
    return _actor_mention(span, Actor(text, kind, country, f"{country}{role}" if country else None))


def _is_state_word(text: str, gaz: Gazetteer) -> bool:
    """Whether `text` names a state or is its demonym ("U.S.", "Russian"), not a place."""
    return any(e.kind in ("actor", "demonym") and gaz.actors.get(e.name) is not None
               and gaz.actors[e.name].type == "state" for e in gaz.aliases(text))


def facility_head(span) -> str:
    """The head word of a name as written: the last word before "of" ("Palace of Culture")."""
    words = [t.text for t in span]
    if "of" in words[1:]:
        words = words[:words.index("of", 1)]
    return words[-1]


def _introduced_as_person(span, gaz: Gazetteer) -> bool:
    """Whether an unknown name of two or three capitalised words has a person's role in
    apposition ("X Y, a spokesman for the army")."""
    if not 2 <= len(span) <= 3 or not all(t.is_title and t.is_alpha for t in span):
        return False
    return _introduced_as(span, gaz.titles)


def _introduced_as(span, kinds) -> bool:
    """Whether the name has, in apposition, a common noun from `kinds` ("Dunai, a small port")."""
    return any(ch.dep_ == "appos" and ch.pos_ == "NOUN" and ch.lemma_.lower() in kinds for ch in span.root.children)


def _continues_into_org(doc, end: int, gaz: Gazetteer) -> bool:
    """Whether capitalised words after token `end` complete an organisation's name."""
    for i in range(end, min(end + 3, len(doc))):
        if not doc[i].is_title:
            return False
        if doc[i].text in gaz.org_heads:
            return True
    return False


def _has_org_head(span, gaz: Gazetteer) -> bool:
    return any(t.text in gaz.org_heads for t in span)


def guess_country(span, country_at: dict[int, str], *, inside: bool = False) -> str | None:
    """ISO3 of the first country, demonym, capital or place in the phrase around `span`: its own
    words (if `inside`), the noun phrase it heads or modifies, and its apposition."""
    if inside:
        for i in range(span.start, span.end):
            if i in country_at:
                return country_at[i]
    root = span.root
    heads = [root]
    if root.dep_ in ("appos", "compound", "flat") and root.head is not root:
        heads.append(root.head)
    heads += [ch for ch in root.children if ch.dep_ == "appos"]
    for h in heads:
        for t in h.subtree:
            if span.start <= t.i < span.end or abs(t.i - span.start) > 30:
                continue
            if t.i in country_at:
                return country_at[t.i]
    return None


def near_gazetteer_person(name: str, gaz: Gazetteer) -> Actor | None:
    """The gazetteer person `name` misspells (same first name, surname one edit away), or None."""
    words = name.split()
    if len(words) < 2 or len(words[-1]) < 5:
        return None
    for person in gaz.persons():
        pw = person.name.split()
        if len(pw) >= 2 and pw[0] == words[0] and _edit_distance(pw[-1], words[-1]) == 1:
            return person
    return None


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def is_byline(doc, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the name at [start, end) is a byline or credit: after a cue on its line ("By",
    "Writing by", "editing by", "Photo:", "REUTERS/"), between slashes, or alone on its line."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    after = text[end:line_end]
    if before.endswith("/") or after.startswith("/"):
        return True
    cues = "|".join(re.escape(c) for c in sorted(gaz.byline_cues, key=len, reverse=True))
    names = r"(?:[A-Z][\w'’.-]*\s+){1,4}(?:,\s*|and\s+|&\s+)"
    clause = re.split(r"[;(|]|\s[-\u2013\u2014]\s", before)[-1]
    if re.search(rf"^[\W_]*(?i:{cues})\s*(?i:the\s+)?(?:{names})*$", clause):
        return True
    rest = (before + " " + after).strip()
    return len(rest) < 40 and not re.search(r"[A-Za-z]{2,}", rest)  # "Jane Doe | 2024-02-13"


def is_short_person(c: Candidate) -> bool:
    """Whether an unresolved candidate is a lone name word waiting for coreference."""
    return c.kind == "short" or (c.kind == "ner" and c.end - c.start == 1 and c.label in ("PERSON", "ORG"))


def corefer_short_names(doc, gaz: Gazetteer, shorts: list[Candidate], mentions: list[Mention]) -> list[Mention]:
    """Mentions for lone surnames or short forms: the full name with that word seen nearest
    before it in the article, else the most frequent one, else the gazetteer's default."""
    full = [m for m in mentions if m.actor is not None and m.actor.type == "person" and len(m.name.split()) >= 2]
    out = []
    for c in shorts:
        span = doc[c.start:c.end]
        word = span.text
        if is_byline(doc, span.start_char, span.end_char, gaz):
            continue
        same = [m for m in full if word in _name_parts(m.name) or word in _name_parts(m.surface)]
        before = [m for m in same if m.start < span.start_char]
        if before:
            actor = before[-1].actor
        elif same:
            actor = Counter(m.actor for m in same).most_common(1)[0][0]
        else:
            name = gaz.default_short.get(word)
            actor = gaz.actors[name] if name else None
        if actor is not None:
            out.append(_actor_mention(span, actor))
    return out


def corefer_institutions(doc, gaz: Gazetteer, bare: list[Candidate], built: list[tuple[str | None, Mention]],
                         mentions: list[Mention]) -> list[Mention]:
    """Mentions for institutions named without their country ("the embassy said"): the same
    institution (`built`: (institution, mention) pairs) named with its country in the article,
    the nearest before it first, else the first after it; failing that, "the <national body>"
    (not an embassy, not a city's police; not "a government delegation") is that of the state
    that is the subject of the nearest clause before it ("Kyiv cut ties. The foreign ministry
    said ..." is Ukraine's)."""
    out = []
    for c in bare:
        span = doc[c.start:c.end]
        inst = gaz.institution(span.text)
        if inst is None or _titled_office(doc, c, inst):
            continue  # "Prosecutor General Andriy Kostin": the person's title
        same = [m for i, m in built if i == c.institution]
        if not same:
            definite = c.start > 0 and doc[c.start - 1].lower_ == "the" and span.root.dep_ != "compound"
            state = _subject_state(doc, c, mentions) if definite and not (inst.host or inst.local) else None
            if state is not None:
                out.append(_actor_mention(span, _built_actor(gaz, inst, state, None)))
            continue
        before = [m for m in same if m.start < span.start_char]
        actor = before[-1].actor if before else same[0].actor
        if actor is not None:
            out.append(_actor_mention(span, actor))
    return out


def _titled_office(doc, c: Candidate, inst) -> bool:
    return inst.office and c.end < len(doc) and doc[c.end].is_title and doc[c.end].pos_ == "PROPN"


def _subject_state(doc, c: Candidate, mentions: list[Mention]) -> Actor | None:
    """The state that is the subject of a clause in the sentence of token `c.start` or the one
    before it, the nearest first, or None."""
    sents = sentences(doc)
    here = next(i for i, s in enumerate(sents) if s.start <= c.start < s.end)
    earliest = sents[max(0, here - 1)].start_char
    before = doc[c.start].idx
    for m in sorted(mentions, key=lambda m: -m.start):
        if not earliest <= m.start < before or m.actor is None or m.actor.type != "state":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return m.actor
    return None


def with_hosts(resolved: list[tuple[Candidate, Mention | None]]) -> list[tuple[Candidate, Mention | None]]:
    """`resolved` with "the Russian embassy" named as the article's "Russian Embassy in North
    Korea" when the article names the same institution of the same country with its host."""
    hosted: dict[tuple[str | None, str | None], Actor] = {}
    for c, m in resolved:
        if c.kind == "built" and m is not None and m.actor is not None and " in " in m.name:
            hosted.setdefault((c.institution, m.actor.country), m.actor)
    out = []
    for c, m in resolved:
        if c.kind == "built" and m is not None and m.actor is not None and " in " not in m.name:
            actor = hosted.get((c.institution, m.actor.country))
            if actor is not None:
                m = replace(m, name=actor.name, actor=actor)
        out.append((c, m))
    return out


def in_context(resolved: list[tuple[Candidate, Mention]]) -> list[Mention]:
    """The mentions, without those of context-bound aliases ("the North", "Far East") whose
    region (`Alias.context`) the article's other mentions never name."""
    def context(c: Candidate) -> frozenset:
        return c.entries[0].context if c.entries else frozenset()

    countries = {named.country for c, m in resolved
                 if not context(c) and (named := m.actor or m.place) is not None}
    return [m for c, m in resolved if not context(c) or context(c) & countries]
