"""Every figure of a story as a quantity: value, qualifier, counted noun, category, named item.

`extract_quantities(doc)` reads a parsed spaCy Doc in one pass over its sentences' tokens:
a figure's own words are read by core.extract.numbers, the words before it give the qualifier
("more than", "about"), the noun it counts gives the unit and, through the lexicon in
core/data/units.json, the category. The parse and the NER labels of the model decide what is
not a count: dates, times, ordinals, numbers inside names ("Hwasong-11", "resolution 1718").
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.extract.dates import MONTHS
from core.extract.nlp import doc_text, sentences, token_table
from core.extract.numbers import NUMBER_WORDS, SCALES, UNITS_PATH, digits_value, parse_number, vague_words

ORIGIN_SUFFIXES = frozenset({"made", "built", "produced", "supplied", "designed", "manufactured", "origin"})
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
ADJ_TAGS = frozenset({"JJ", "JJR", "JJS"})
HYPHENS = frozenset({"-", "–", "—", "\u2011"})
# Entities a number inside of which is part of a name, not a count.
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"})
NOT_A_COUNT_ENTS = frozenset({"ORDINAL"})
TIME_ENTS = ("DATE", "TIME")
# Phone numbers: seven digits or more in groups split by spaces, dots, dashes or brackets.
PHONE = re.compile(r"\+?\(?\d[\d ().\-]{6,}\d")
MODEL_NAME = re.compile(r"[A-Za-z].*\d|\d.*[A-Za-z]")
CALIBRE_WORDS = frozenset({"mm", "millimetre", "millimeter", "millimetres", "millimeters", "cal", "calibre", "caliber"})
YEAR = re.compile(r"^(1[89]|20)\d\d$")
# Person nouns stand for casualties, personnel or neither, as their verb says.
PERSON = "person"


@dataclass(frozen=True)
class QuantityMention:
    """One claimed figure: value or range, qualifier, counted noun and category, as written (one quantities row)."""

    value: float
    value_max: float | None
    qualifier: str  # exact | about | more_than | less_than | vague
    unit: str | None  # the counted noun, singular
    category: str  # missile | container | munition | casualty | personnel | distance | duration | component | other
    item: str | None  # the named item counted ("Hwasong-11")
    text: str  # the figure as written, from its qualifier to its counted noun
    start: int  # char offsets of `text` in doc.text
    end: int
    sent_start: int
    sent_end: int


@dataclass(frozen=True)
class Lexicon:
    """The word lists of core/data/units.json that figure extraction reads, loaded once."""

    nouns: dict
    casualty_words: dict
    casualty_verbs: frozenset
    deployment_verbs: frozenset
    casualty_subjects: frozenset
    munition_context: frozenset
    look_through_of: dict
    qualifiers: dict
    postfix_qualifiers: dict
    vague: dict
    vague_first: frozenset  # the first word of every vague phrase: most tokens start none
    label_words: frozenset
    currency_symbols: dict
    not_before: frozenset
    date_words: frozenset
    month_names: frozenset
    capture_verbs: frozenset
    military_words: frozenset


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The counted-noun lexicon of core/data/units.json."""
    data = json.loads(UNITS_PATH.read_text(encoding="utf-8"))
    month_names = frozenset(name.lower() for name in MONTHS)
    vague = vague_words()
    return Lexicon(
        nouns=data["nouns"],
        casualty_words=data["casualty_words"],
        casualty_verbs=frozenset(data["casualty_verbs"]),
        deployment_verbs=frozenset(data["deployment_verbs"]),
        casualty_subjects=frozenset(data["casualty_subjects"]),
        munition_context=frozenset(data["munition_context"]),
        look_through_of=data["look_through_of"],
        qualifiers=data["qualifiers"],
        postfix_qualifiers=data["postfix_qualifiers"],
        vague=vague,
        vague_first=frozenset(phrase.split(" ")[0] for phrase in vague),
        label_words=frozenset(data["label_words"]),
        currency_symbols=data["currency_symbols"],
        not_before=frozenset(data["not_before"]),
        date_words=frozenset(data["date_words"]) | month_names,
        month_names=month_names,
        capture_verbs=frozenset(data["capture_verbs"]),
        military_words=frozenset(data["military_words"]),
    )


# ---------------------------------------------------------------------------------------------
# Finding the figure's own words


def _is_digits(tok) -> bool:
    return digits_value(tok.text) is not None


def _is_figure_word(tok) -> bool:
    """True when `tok` can be part of a figure: digits or a number word (not "a")."""
    return _is_digits(tok) or tok.lower_ in NUMBER_WORDS


def _vague_at(doc, i: int, end: int, lex: Lexicon) -> int:
    """How many tokens from `i` form a vague word ("dozens", "a few", "a couple of"), else 0."""
    first = doc[i].lower_
    if first not in lex.vague_first and " " not in first:
        return 0  # no phrase starts with this word (a token with a space could still join into one)
    for n in (3, 2, 1):
        if i + n <= end and " ".join(t.lower_ for t in doc[i:i + n]) in lex.vague:
            if n == 1 and doc[i].lower_ in ("scores", "tens") and not (i + 1 < end and doc[i + 1].lower_ == "of"):
                return 0  # "scores" and "tens" count only as "scores of", "tens of thousands"
            return n
    return 0


def _figure_start(doc, i: int, end: int, lex: Lexicon) -> int:
    """How many tokens from `i` open a figure (0 when none): "7,000", "two", "a dozen", "dozens"."""
    tok = doc[i]
    if _is_figure_word(tok):
        return 1
    n = _vague_at(doc, i, end, lex)
    if n:
        return n
    if tok.lower_ in ("a", "an", "half") and i + 1 < end:
        nxt = doc[i + 1].lower_
        if nxt in SCALES or nxt in ("hundred", "dozen") or (tok.lower_ == "half" and nxt in ("a", "an")):
            return 1
    return 0


def _glued(doc, i: int) -> bool:
    """True when token `i` is written with no space after it."""
    return not doc[i].whitespace_


def _figure_end(doc, i: int, end: int, lex: Lexicon) -> int | None:
    """The index just past the figure that starts at `i`, or None when no figure starts there.

    A figure is a run of digits and number words ("2.5 million", "two hundred and fifty"),
    vague words ("tens of thousands", "several hundred") and ranges ("5-7", "5 to 7",
    "between 5 and 7", "two or three").
    """
    n = _figure_start(doc, i, end, lex)
    if not n:
        return None
    j = i + n
    between = i > 0 and doc[i - 1].lower_ == "between"
    ranged = False
    while j < end:
        tok, prev = doc[j], doc[j - 1]
        low = tok.lower_
        if (low in NUMBER_WORDS and not _is_digits(tok) and (low != "one" or prev.lower_ in ("and",))) \
                or (low == "and" and prev.lower_ in ("hundred", *SCALES) and j + 1 < end
                    and doc[j + 1].lower_ in NUMBER_WORDS):
            j += 1
        elif low == "of" and prev.lower_ in lex.vague and j + 1 < end and doc[j + 1].lower_ in lex.vague:
            j += 2  # "tens of thousands"
        elif low in ("a", "an") and prev.lower_ == "half":
            j += 1
        elif not ranged and j + 1 < end and _is_range_word(doc, j, between) and _figure_start(doc, j + 1, end, lex) \
                and doc[j + 1].lower_ not in ("a", "an", "half"):
            ranged = True
            j += 1 + _figure_start(doc, j + 1, end, lex)
        else:
            break
    return j


def _is_range_word(doc, j: int, between: bool) -> bool:
    """True when token `j` joins the two ends of a range ("5-7", "5 to 7", "between 5 and 7")."""
    tok = doc[j]
    if tok.text in HYPHENS:
        return _glued(doc, j - 1) and _glued(doc, j)
    return tok.lower_ in ("to", "or") or (between and tok.lower_ == "and")


# ---------------------------------------------------------------------------------------------
# The words around the figure


def _prefix_qualifier(doc, i: int, sent_start: int, lex: Lexicon) -> tuple[str | None, int]:
    """(qualifier, index of its first token) of the words just before token `i`, else (None, i)."""
    for n in (3, 2, 1):
        if i - n >= sent_start:
            words = " ".join(t.lower_ for t in doc[i - n:i])
            if words in lex.qualifiers:
                return lex.qualifiers[words], i - n
    return None, i


def _postfix_qualifier(doc, j: int, end: int, lex: Lexicon) -> tuple[str | None, int]:
    """(qualifier, index past it) of the words just after the figure ending at `j`, else (None, j)."""
    for n in (2, 1):
        if j + n <= end:
            words = " ".join(t.lower_ for t in doc[j:j + n])
            if words in lex.postfix_qualifiers:
                return lex.postfix_qualifiers[words], j + n
    return None, j


def _noun_key(doc, tok, lex: Lexicon) -> str | None:
    """The lexicon key of noun `tok` ("artillery rounds" -> "round"), or None when unknown."""
    low, lemma = tok.lower_, tok.lemma_.lower()
    if tok.i > 0:
        prev = doc[tok.i - 1].lower_
        for w in (low, lemma):
            if f"{prev} {w}" in lex.nouns:
                return f"{prev} {w}"
    for w in (lemma, low, low[:-1] if low.endswith("s") else None, low[:-2] if low.endswith("es") else None):
        if w and w in lex.nouns:
            return w
    if tok.ent_type_ == "NORP" and tok.tag_ in ("NNS", "NNPS") and low.endswith("s"):
        return "people"  # "3,000 North Koreans": a plural demonym counts people
    return None


def _in_group(doc, k: int, date_ent, ent_of) -> bool:
    """True when token `k` can belong to the noun group a figure counts ("North Korean Hwasong-11 missiles")."""
    tok = doc[k]
    ent = ent_of.get(k)
    if ent is not None and ent.label_ in ("DATE", "TIME") and ent is not date_ent:
        return False
    if tok.text in HYPHENS:
        return _glued(doc, k - 1) and _glued(doc, k)
    if _is_digits(tok):
        return False
    if MODEL_NAME.search(tok.text):
        return True
    return tok.tag_ in NOUN_TAGS or tok.tag_ in ADJ_TAGS \
        or (tok.tag_ in ("VBN", "VBG") and tok.dep_ in ("amod", "compound"))


def _calibre_end(doc, k: int, end: int) -> int | None:
    """The index past a calibre starting at `k` ("152mm", "122-mm", "155 mm"), else None."""
    if not _is_digits(doc[k]):
        return None
    m = k + 1
    if m + 1 < end and doc[m].text in HYPHENS and _glued(doc, k) and _glued(doc, m):
        m += 1
    if m < end and doc[m].lower_ in CALIBRE_WORDS:
        return m + 1
    return None


def _noun_group(doc, j: int, end: int, date_ent, ent_of) -> tuple[int, int | None]:
    """(index past the group, index of its head noun or None) of the noun group starting at `j`."""
    k, noun = j, None
    while k < end:
        calibre = _calibre_end(doc, k, end)
        if calibre is not None:
            k = calibre
            continue
        # the tagger sometimes takes a plural noun for a verb ("24 Shahed-136 drones/VBZ")
        known = doc[k].pos_ in ("VERB", "NOUN") and _noun_key(doc, doc[k], lexicon()) is not None
        if noun is None and k > j and doc[k].lower_ in ("and", "or", ",") and k + 1 < end \
                and _in_group(doc, k + 1, date_ent, ent_of):
            k += 1  # "anti-tank and anti-aircraft missiles": modifiers joined before the noun
            continue
        if not (known or _in_group(doc, k, date_ent, ent_of)):
            break
        if noun is not None and doc[k].ent_iob_ == "B" and doc[k].tag_ in ("NNP", "NNPS"):
            break  # "the 11,000 troops Pyongyang sent": a name after the noun starts a clause
        if (known or doc[k].tag_ in NOUN_TAGS) and not MODEL_NAME.search(doc[k].text):
            noun = k
        k += 1
    if noun is None:
        return j, None
    return noun + 1, noun


def _item(doc, j: int, noun: int, lex: Lexicon, ent_of) -> tuple[int, int] | None:
    """(start, end) token indices of the named model between a figure and its noun, if any."""
    runs, k = [], j
    while k < noun:
        run_start = k
        calibre = _calibre_end(doc, k, noun)
        if calibre is not None:
            runs.append((k, calibre))
            k = calibre
            continue
        while k + 1 < noun and _glued(doc, k) and doc[k + 1].text not in ("'s", "’s"):
            k += 1
        runs.append((run_start, k + 1))
        k += 1
    for a, b in reversed(runs):
        toks = doc[a:b]
        text = toks.text
        if toks[-1].lower_ in ORIGIN_SUFFIXES:
            continue  # "North Korean-made", "Iranian-built": where it comes from, not a model
        if any(c.isdigit() for c in text) or (len(toks) > 1 and any(t.text in HYPHENS for t in toks)):
            return a, b
        named = all(t.tag_ in ("NNP", "NNPS") for t in toks)
        ents = {ent_of[t.i].label_ for t in toks if t.i in ent_of}
        if named and not ents & {"NORP", "GPE", "LOC"} and _noun_key(doc, toks[-1], lex) is None:
            return a, b
    return None


def _governing_verb(tok):
    """The nearest verb above `tok` in the parse (itself included), or None."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _is_casualty(tok, group, lex: Lexicon) -> bool:
    """True when the people counted by `tok` are said to be killed or injured."""
    if any(t.lower_ in lex.casualty_words or t.lemma_.lower() in lex.casualty_verbs for t in group):
        return True
    for child in tok.children:
        if child.dep_ in ("acl", "amod", "relcl") \
                and child.lemma_.lower() in lex.casualty_verbs | set(lex.casualty_words):
            return True
    verb = _governing_verb(tok)
    if verb is None:
        return False
    if verb.lemma_.lower() in lex.casualty_verbs:
        return True
    # "the toll rose to 12", "losses passed 200", "the number of wounded approached 1,000",
    # "4,000 have become casualties"
    if group:  # a figure with its own noun: only a subject that is a toll or a loss counts
        return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lex.casualty_subjects
                   for c in verb.children)
    casualty = lex.casualty_subjects | set(lex.casualty_words)
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "attr") and c.i != tok.i and not c.is_ancestor(tok) \
                and any(t.lemma_.lower() in casualty or t.lower_ in casualty for t in c.subtree):
            return True
    return False


def _is_deployed(tok, lex: Lexicon) -> bool:
    verb = _governing_verb(tok)
    return verb is not None and verb.lemma_.lower() in lex.deployment_verbs


def _munition_context(doc, group, noun, lex: Lexicon) -> bool:
    """True when an ambiguous noun ("rounds") is about munitions: an artillery word or a supply verb."""
    if noun.i + 1 < len(doc) and doc[noun.i + 1].lower_ == "of":
        # "two rounds of talks" are no munitions, "rounds of artillery ammunition" are
        obj = [c for c in doc[noun.i + 1].children if c.dep_ == "pobj"]
        return bool(obj) and any(t.lemma_.lower() in lex.munition_context or t.lower_ in lex.munition_context
                                 for t in obj[0].subtree)
    if any(t.lemma_.lower() in lex.munition_context or t.lower_ in lex.munition_context for t in group):
        return True
    verb = _governing_verb(noun)
    return verb is not None and verb.lemma_.lower() in lex.munition_context


@dataclass(frozen=True)
class _Counted:
    unit: str | None
    category: str
    end: int  # token index past the words that name what is counted
    item: tuple[int, int] | None = None


SKIP = _Counted(None, "skip", 0)
# A figure whose counted thing is said before it ("six of them"): see _resolve_ellipses.
ANAPHOR = _Counted(None, "anaphor", 0)
ANAPHORS = frozenset({"them", "those", "these"})
KEY_CATEGORIES = frozenset({"missile", "container", "munition", "casualty", "personnel"})


def _counted(doc, i: int, j: int, end: int, lex: Lexicon, ent_of, date_ent) -> _Counted:
    """What the figure at tokens [i, j) counts: unit, category, item; SKIP when it is no count."""
    last = doc[j - 1]
    if j < end and (doc[j].text == "%" or doc[j].lower_ in ("percent", "pct")):
        return _Counted("percent", "other", j + 1)
    if j + 1 < end and doc[j].lower_ == "per" and doc[j + 1].lower_ == "cent":
        return _Counted("percent", "other", j + 2)
    # "two-day", "10-km": the hyphenated word is the unit; "one-time", "three-member" are no counts
    if j + 1 < end and doc[j].text in HYPHENS and _glued(doc, j - 1) and _glued(doc, j):
        key = _noun_key(doc, doc[j + 1], lex)
        if key is None or (j + 3 < end and doc[j + 2].text in HYPHENS and doc[j + 3].lower_ in lex.not_before):
            return SKIP
        entry = lex.nouns[key]
        return _Counted(entry["unit"], entry["category"], j + 2)
    if j + 1 < end and doc[j].lower_ == "more" and doc[j + 1].lower_ == "of":
        j += 1  # "several more of the missiles"
    partitive = False
    if j < end and doc[j].lower_ == "of":
        nxt = doc[j + 1] if j + 1 < end else None
        if nxt is not None and nxt.lower_ in ANAPHORS:
            return ANAPHOR  # "six of them": what "them" counts is said before
        if nxt is None or nxt.tag_ in ("PRP", "PRP$"):
            return SKIP
        if nxt.tag_ in ("DT", "PRP$") and last.lower_ not in lex.vague:
            partitive = True  # "72 of the missiles": a count only when the noun is a key count
        if last.lower_ in lex.vague or last.lower_ in lex.look_through_of or partitive:
            j += 2 if nxt.tag_ in ("DT", "PRP$") else 1  # "dozens of (the) missiles"
    group_end, noun_i = _noun_group(doc, j, end, date_ent, ent_of)
    group = list(doc[j:group_end])
    if noun_i is None:
        return SKIP if partitive else _bare(doc, i, j, end, lex)
    noun = doc[noun_i]
    if group_end < end and doc[group_end].lower_ in lex.not_before:
        return SKIP  # "24 years ago", "45 years old"
    item = _item(doc, j, noun_i, lex, ent_of)
    key = _noun_key(doc, noun, lex)
    unit, category, text_end = (noun.lemma_.lower(), "other", group_end)
    if key is not None:
        unit, category = lex.nouns[key]["unit"], lex.nouns[key]["category"]
    through = lex.look_through_of.get(key or noun.lemma_.lower())
    if (key is None or through) and group_end + 1 < end and doc[group_end].lower_ == "of":
        k = group_end + 1 + (doc[group_end + 1].tag_ == "DT")
        end2, noun2_i = _noun_group(doc, k, end, None, ent_of)
        key2 = _noun_key(doc, doc[noun2_i], lex) if noun2_i is not None else None
        if key2 is not None and noun2_i is not None and lex.nouns[key2]["category"] != "other":
            entry2 = lex.nouns[key2]
            unit = entry2["unit"] if through == "item" else unit
            category, text_end = entry2["category"], end2
            noun, group = doc[noun2_i], group + list(doc[k:end2])
            item = item or _item(doc, k, noun2_i, lex, ent_of)
    if key is not None and lex.nouns[key].get("needs_munition_context") \
            and not _munition_context(doc, group, noun, lex):
        category = "other"
    category = _people_category(noun, group, category, lex)
    if key is not None and lex.nouns[key].get("artillery_beside_munitions") and _listed_with_munitions(noun, lex):
        category = "munition"  # "rockets and artillery shells": artillery rockets
    if partitive and category not in KEY_CATEGORIES:
        return SKIP  # "one of the officials", "5 of the 12 regions"
    return _Counted(unit, category, text_end, item)


def _listed_with_munitions(noun, lex: Lexicon) -> bool:
    """True when `noun` is coordinated with a munition noun ("rockets and shells")."""
    doc = noun.doc
    after = list(doc[noun.i + 2:min(noun.i + 5, noun.sent.end)]) if noun.i + 1 < len(doc) \
        and doc[noun.i + 1].lower_ in ("and", "or") else []
    # the parse may hang the conjunct on the figure ("millions of rockets and shells")
    for t in [*noun.conjuncts, *after]:
        key = _noun_key(doc, t, lex) if t.pos_ == "NOUN" else None
        if key is not None and lex.nouns[key]["category"] == "munition":
            return True
    return False


def _people_category(noun, group, category: str, lex: Lexicon) -> str:
    """The category of counted people: casualties when killed or wounded, prisoners ('other')
    when captured, personnel when sent or part of a force; other categories unchanged."""
    if category not in (PERSON, "personnel"):
        return category
    if _is_casualty(noun, group, lex):
        return "casualty"
    verb = _governing_verb(noun)
    if verb is not None and verb.lemma_.lower() in lex.capture_verbs:
        return "other"  # captured soldiers are prisoners, no longer a force
    if category == PERSON and not (_is_deployed(noun, lex) or _in_force(noun, group, lex)):
        return "other"
    return "personnel"


def _in_force(noun, group, lex: Lexicon) -> bool:
    """True when counted people belong to a military force: a military word in their group
    ("combat engineers"), or a part of a personnel count ("12,000 troops, including 500 officers")."""
    if any(t.lower_ in lex.military_words for t in group):
        return True
    doc = noun.doc

    def personnel(t) -> bool:
        key = _noun_key(doc, t, lex) if t.pos_ in ("NOUN", "PROPN") else None
        return key is not None and lex.nouns[key]["category"] == "personnel"

    # "300 North Koreans believed to be workers": the parse may hang the predicate anywhere
    after = doc[noun.i + 1:min(noun.i + 6, noun.sent.end)]
    words = [t.lower_ for t in after]
    if "to" in words[:2] and "be" in words[:3]:
        return any(personnel(t) for t in after[words.index("be") + 1:])
    if any(personnel(t) for t in noun.subtree if t.i != noun.i):
        return True
    t = noun
    for _ in range(4):
        if t.head.i == t.i:
            return False
        t = t.head
        if personnel(t):
            return True
        if t.lower_ in ("including", "among"):
            # "50,000 personnel, including 10,000 contractors": part of the force named before
            return any(personnel(x) for x in doc[noun.sent.start:t.i])
    return False


def _bare(doc, i: int, j: int, end: int, lex: Lexicon) -> _Counted:
    """What a figure with no noun after it counts: casualties ("12 dead", "killed 12"), money, else other."""
    last = doc[j - 1]
    if j < end and doc[j].lower_ in lex.casualty_words:
        return _Counted(lex.casualty_words[doc[j].lower_], "casualty", j + 1)
    if i > 0 and doc[i - 1].text in lex.currency_symbols:
        return _Counted(lex.currency_symbols[doc[i - 1].text], "other", j)
    if last.lower_ == "one" and i == j - 1 and _prefix_qualifier(doc, i, doc[i].sent.start, lex)[0] is None:
        return SKIP  # "one" with no noun is a pronoun: "the one that", "one another"; not "at least one"
    head = last.head
    if last.dep_ in ("nummod", "compound", "quantmod") and head.i < last.i and head.pos_ in ("NOUN", "PROPN"):
        return SKIP  # "Article 5", "Apollo 11": a label after its noun
    if YEAR.match(last.text):
        return SKIP
    if _is_casualty(last, [], lex):
        return _Counted(None, "casualty", j)
    return _Counted(None, "other", j)


# ---------------------------------------------------------------------------------------------
# Not counts


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Char spans of phone numbers in `text`: seven digits or more, in three groups or more."""
    spans = []
    for m in PHONE.finditer(text):
        s = m.group(0)
        if sum(c.isdigit() for c in s) >= 7 and len(re.findall(r"\d+", s)) >= 3:
            spans.append(m.span())
    return spans


def _is_date(ent, lex: Lexicon) -> bool:
    """True when a DATE entity really speaks of time (the model also tags "Between 5" as DATE)."""
    return any(t.lower_.rstrip(".") in lex.date_words or YEAR.match(t.text) for t in ent)


def _names_a_point_in_time(ent, lex: Lexicon) -> bool:
    """True when a DATE or TIME entity names a date or a time, not a duration ("May 20", "10 a.m.")."""
    if ent.label_ == "TIME":
        return not any(t.lower_ in DURATION_WORDS for t in ent) or any(
            ":" in t.text or t.lower_ in CLOCK_WORDS for t in ent)
    return any((t.lower_.rstrip(".") in lex.date_words and t.lower_ not in DURATION_WORDS) or YEAR.match(t.text)
               for t in ent)


CLOCK_WORDS = frozenset({"a.m.", "p.m.", "am", "pm", "gmt", "utc", "o'clock", "noon", "midnight"})
DURATION_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours",
                            "minute", "minutes", "decade", "decades", "century", "centuries"})


def _is_name_part(doc, i: int, j: int, ent_of, lex: Lexicon) -> bool:
    """True when the figure at [i, j) is part of a name or a label ("Su-27", "resolution 1718", "page 5")."""
    if i >= 2 and doc[i - 1].text in HYPHENS | {"/"} and _glued(doc, i - 2) and _glued(doc, i - 1) \
            and doc[i - 2].is_alpha:
        return True
    if j + 1 < len(doc) and doc[j].text in HYPHENS and _glued(doc, j - 1) and _glued(doc, j) \
            and doc[j + 1].is_upper and doc[j + 1].is_alpha:
        return True  # "11-M"
    if i > 0 and doc[i - 1].lower_ in lex.label_words:
        return True
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and prev.tag_ == "NNP" and prev.is_title and prev.i > prev.sent.start \
            and prev.ent_type_ not in ("GPE", "NORP", "LOC", "DATE") and _is_digits(doc[i]) and j == i + 1 \
            and prev.lower_.rstrip(".") not in lex.month_names:
        return True  # "a Falcon 9 rocket", "Soyuz 2": a number after a name is part of it
    if any(0 <= k < len(doc) and doc[k].is_title and doc[k].lower_.rstrip(".") in lex.month_names
           for k in (i - 1, j)):
        return True  # "01 Feb 2024", "May 20" when the model misses the date
    if _calibre_end(doc, j - 1, len(doc)) is not None:
        return True
    ent = ent_of.get(i)
    return ent is not None and ent.label_ in NAME_ENTS and doc[i].ent_iob_ == "I"


DEFINITE_WORDS = frozenset({"the", "both", "these", "those", "all"})


def _mention(doc, sent, i: int, j: int, lex: Lexicon, ent_of, phones) -> tuple[QuantityMention, int, int] | None:
    """(mention, first token, token past the mention) for the figure at tokens [i, j), or None."""
    if any(t.ent_type_ in NOT_A_COUNT_ENTS or ":" in t.text for t in doc[i:j]):
        return None
    start_char = doc[i].idx
    if any(a <= start_char < b for a, b in phones):
        return None
    if _is_name_part(doc, i, j, ent_of, lex):
        return None
    parsed = parse_number(doc[i:j].text)
    if parsed is None:
        return None
    value, value_max, word_qualifier = parsed
    if (value <= 3 and not _is_digits(doc[i]) and i > 0 and doc[i - 1].lower_ in DEFINITE_WORDS
            and not (j < len(doc) and doc[j].text in HYPHENS)):  # "the two-day visit" is a duration
        # "the two countries", "the two discussed", "all three leaders": a definite small number
        # points back at what the text has named; it counts nothing new
        return None
    qualifier, first = _prefix_qualifier(doc, i, sent.start, lex)
    post_qualifier, after = _postfix_qualifier(doc, j, sent.end, lex)
    qualifier = "vague" if word_qualifier == "vague" else (qualifier or post_qualifier or "exact")
    date_ent = next((ent_of[t.i] for t in doc[i:j] if t.i in ent_of and ent_of[t.i].label_ in TIME_ENTS), None)
    if date_ent is not None and date_ent.label_ == "DATE" and not _is_date(date_ent, lex):
        date_ent = None
    counted = _counted(doc, i, after, sent.end, lex, ent_of, date_ent)
    if counted is SKIP:
        return None
    if counted is ANAPHOR:
        counted = _Counted(None, "other", after + 2)
    if date_ent is not None and (counted.category != "duration" or _names_a_point_in_time(date_ent, lex)):
        return None
    if i > 0 and doc[i - 1].text in lex.currency_symbols:
        first = min(first, i - 1)
    stop = max(counted.end, after)
    item = doc[counted.item[0]:counted.item[1]].text if counted.item else None
    mention = QuantityMention(
        value=value, value_max=value_max, qualifier=qualifier, unit=counted.unit, category=counted.category,
        item=item, text=doc[first:stop].text, start=doc[first].idx, end=doc[stop - 1].idx + len(doc[stop - 1]),
        sent_start=sent.start_char, sent_end=sent.end_char,
    )
    return mention, i, stop


def _is_elliptic(m: QuantityMention) -> bool:
    """True when a figure names nothing it counts ("bringing the total to 3,000", "six of them")."""
    return m.unit is None and m.category == "other"


def _antecedent(doc, i: int, figures: dict, lex: Lexicon):
    """(unit, category) of what the elliptic figure at token `i` counts, or None: the nearest
    key count said before it in its sentence or the previous one, a figure or a counted noun
    ("fired North Korean missiles ... at least 24 had been launched")."""
    sent = doc[i].sent
    found = _antecedent_in(doc, i, sent.start, figures, lex, nouns_first=True)
    if found is not None or sent.start == 0:
        return found if found != NOTHING else None
    before = doc[sent.start - 1].sent
    found = _antecedent_in(doc, before.end, before.start, figures, lex, nouns_first=False)
    return found if found not in (None, NOTHING) else None


NOTHING = ("", "")


def _antecedent_in(doc, end: int, start: int, figures: dict, lex: Lexicon, *, nouns_first: bool):
    """The nearest key count in tokens [start, end) counting backwards, NOTHING when the nearest
    plural noun is no key count (in the figure's own sentence: "freight cars, about 73"), else
    None. Without `nouns_first` a key figure anywhere in the span comes before a counted noun."""
    if not nouns_first:
        for k in range(end - 1, start - 1, -1):
            m = figures.get(k)
            if m is not None and m.category in KEY_CATEGORIES and not _is_elliptic(m):
                return m.unit, m.category
    for k in range(end - 1, start - 1, -1):
        if k in figures:
            m = figures[k]
            if m.category in KEY_CATEGORIES and not _is_elliptic(m):
                return m.unit, m.category
            continue
        tok = doc[k]
        if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ not in ("NNS", "NNPS") or tok.ent_type_ in TIME_ENTS:
            continue  # "Five days later, ...": a time is not what a figure counts
        if nouns_first and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.is_ancestor(doc[end]):
            continue  # "officials said at least one hit": who speaks is not what is counted
        key = _noun_key(doc, tok, lex)
        if key is None:
            if nouns_first:
                return NOTHING  # "freight cars, about 73": the nearest plural is what is counted
            continue
        entry = lex.nouns[key]
        category = _people_category(tok, list(tok.lefts), entry["category"], lex)
        if category in KEY_CATEGORIES:
            return entry["unit"], category
        if nouns_first:
            return NOTHING
    return None


def _resolve_ellipses(doc, found: list, lex: Lexicon) -> list[QuantityMention]:
    """The mentions of `found` ((mention, first, stop) tuples) with elliptic figures given what
    they count; an anaphoric "N of them" with nothing to count before it is dropped."""
    figures = {k: m for m, first, stop in found for k in range(first, stop)}
    out = []
    for m, first, stop in found:
        if not _is_elliptic(m):
            out.append(m)
            continue
        anaphoric = doc[stop - 1].lower_ in ANAPHORS
        ante = _antecedent(doc, first, figures, lex)
        if ante is None:
            if not anaphoric:
                out.append(m)
            continue
        unit, category = ante
        base = lex.nouns.get(unit, {}).get("category", category)
        if base in (PERSON, "personnel") or category in ("casualty", "personnel"):
            tok = doc[first]
            if _is_casualty(tok, [], lex):
                category = "casualty"
            elif any(t.lemma_.lower() in lex.deployment_verbs and t.pos_ == "VERB" for t in tok.sent):
                category = "personnel"
        out.append(dataclasses.replace(m, unit=unit, category=category))
    return out


def _restated(doc, previous: tuple, current: tuple) -> bool:
    """True when `current` restates `previous` in brackets: "900 kilometres (550 miles)"."""
    _, _, prev_stop = previous
    _, first, _ = current
    return first >= 1 and doc[first - 1].text == "(" and first - 1 == prev_stop


def _merge_restatement(doc, previous: tuple, current: tuple) -> tuple:
    """`previous` stretched over its bracketed restatement `current`."""
    m, first, _ = previous
    _, _, stop = current
    if stop < len(doc) and doc[stop].text == ")":
        stop += 1
    end = doc[stop - 1].idx + len(doc[stop - 1])
    text = doc_text(doc)[m.start:end]
    merged = QuantityMention(**{**m.__dict__, "end": end, "text": text})
    return merged, first, stop


def extract_quantities(doc, *, skip: Callable[[int], bool] | None = None) -> list[QuantityMention]:
    """Every figure of `doc` (a parsed spaCy Doc) as a QuantityMention, in text order.

    `skip(offset)` tells which char offsets are not to be analysed (boilerplate): a figure
    starting there is left out. Dates, times, ordinals, numbers inside names and labels,
    phone numbers and "one of the" are not figures; a figure restated in brackets is one row.
    """
    lex = lexicon()
    ent_of = {t.i: ent for ent in doc.ents for t in ent}
    phones = _phone_spans(doc_text(doc))
    found: list[tuple[QuantityMention, int, int]] = []
    # Tokens that may open a figure (see _figure_start), told from their text alone: the rest,
    # nearly all, are passed over without building their Token.
    openers = NUMBER_WORDS.keys() | lex.vague_first | {"a", "an", "half"}
    may_open = [(low := w.lower()) in openers or " " in low or any(ch.isdigit() for ch in w)
                for w in token_table(doc).text]
    for sent in sentences(doc):
        i = sent.start
        while i < sent.end:
            if not may_open[i]:
                i += 1
                continue
            j = _figure_end(doc, i, sent.end, lex)
            if j is None or (skip is not None and skip(doc[i].idx)):
                i += 1 if j is None else j - i
                continue
            hit = _mention(doc, sent, i, j, lex, ent_of, phones)
            if hit is None:
                i = j
                continue
            if found and _restated(doc, found[-1], hit):
                found[-1] = _merge_restatement(doc, found[-1], hit)
            else:
                found.append(hit)
            i = hit[2]
    return _resolve_ellipses(doc, found, lex)
