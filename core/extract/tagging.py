"""Exact, faster stand-ins for two steps of the spaCy model: its attribute ruler (part of speech,
morphology and exception lemmas from rules over tags, words and dependencies) and its rule
lemmatizer. Together they cost a fifth of the model's CPU on news text, nearly all of it
asking the same question again for the same token:

- The attribute ruler runs spaCy's Matcher, every one of its ~180 rules over every token.
  Nearly all its rules look at one token only, and their answer depends on nothing but that
  token's values of the attributes the rules read (tag, lower-cased form, dependency,
  whitespace): `FastRuler` asks spaCy's own Matcher once per new combination of those values
  (running it on the spans of tokens not seen before), remembers the rules that matched, and
  runs the few multi-token rules (with a Matcher of their own) only where their first token
  matches. The match list is the very one the ruler's `match` returns, and each match's
  attributes are set by the function spaCy's ruler calls, in the same order.
- The lemmatizer answers for a token from its form, part of speech and morphology only (the
  key of its own cache), but caches none of its commonest answers (every singular noun and
  infinitive goes through the full rule path each time): `FastLemmatizer` remembers every answer
  by that key and sets each token's lemma as spaCy's does.

`speed_up(nlp)` puts both in place of the originals (kept, disabled, in the pipeline) when the
model's steps are the ones this module knows how to stand in for exactly; otherwise the
pipeline is left as it is. tests/test_tagging.py compares every token attribute with the
original pipeline's.
"""
from __future__ import annotations

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
FAST = "newsdash_tagging_v1"
# Remembered answers at most (a new combination per new word, tag and dependency): memory
# stays bounded over millions of articles; the tables are cleared and refilled when full.
MEMO_LIMIT = 500_000
# Pattern keys a rule may use (no "OP": every rule then matches exactly as many tokens as it
# has): a token's answer depends on its own values of them only.
_LOCAL_KEYS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "MORPH", "ENT_TYPE",
                         "ENT_IOB", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT",
                         "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM"})


class FastRuler:
    """The matches of the attribute ruler `ruler` found with one Matcher call per unseen token
    (see the module's docstring); `__call__` annotates a Doc as the ruler does."""

    def __init__(self, ruler, nlp):
        from spacy.matcher import Matcher

        self.ruler = ruler
        # one-token rules, and the first token of each longer rule (under the key `first`): the
        # answers remembered per token; longer rules are then run only where one may start
        self.single = Matcher(nlp.vocab, validate=False)
        self.multi = Matcher(nlp.vocab, validate=False)
        self.first = nlp.vocab.strings.add(FAST + "_first")
        self.longest = 0
        keys: set[str] = set()
        for attr_id in range(len(ruler.attrs)):
            key = nlp.vocab.strings[str(attr_id)]
            _, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                keys.update(pattern[0])
                if len(pattern) == 1:
                    self.single.add(key, [pattern])
                else:
                    self.single.add(self.first, [pattern[:1]])
                    self.multi.add(key, [pattern])
                    self.longest = max(self.longest, len(pattern))
        self.attr_id = {nlp.vocab.strings[str(i)]: i for i in range(len(ruler.attrs))}
        # the attributes the remembered answers depend on, read from the Doc's arrays (a rule's
        # TEXT is the token's ORTH)
        self.signature = sorted({"ORTH" if k == "TEXT" else k for k in keys})
        # signature -> (match ids of the one-token rules matching, whether a longer rule may start)
        self.memo: dict[tuple, tuple[tuple[int, ...], bool]] = {}

    def _learn(self, doc, rows: list[tuple], unseen: list[int]) -> None:
        """Remember the answers for the tokens `unseen` of `doc` (their signatures `rows`), each
        contiguous run of them matched as one span."""
        found: dict[int, list[int]] = {i: [] for i in unseen}
        start = prev = unseen[0]
        for i in [*unseen[1:], None]:
            if i is not None and i == prev + 1:
                prev = i
                continue
            for key, s, _ in self.single(doc[start:prev + 1], allow_missing=True):
                found[start + s].append(key)
            if i is not None:
                start = prev = i
        first = self.first
        for i, keys in found.items():
            self.memo[rows[i]] = (tuple(k for k in keys if k != first), first in keys)

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """The ruler's `match(doc)`: (rule number, match id, start, end) of every match, sorted."""
        rows = [tuple(r) for r in doc.to_array(self.signature).tolist()] if len(doc) else []
        memo = self.memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        unseen = [i for i, sig in enumerate(rows) if sig not in memo]
        if unseen:
            self._learn(doc, rows, unseen)
        attr_id = self.attr_id
        matches = []
        for i, sig in enumerate(rows):
            keys, starts = memo[sig]
            for key in keys:
                matches.append((attr_id[key], key, i, i + 1))
            if starts:  # only matches starting at i: one starting later is found from its own start
                matches += [(attr_id[key], key, i, i + e) for key, s, e in
                            self.multi(doc[i:i + self.longest], allow_missing=True) if s == 0]
        matches.sort()
        return matches

    def __call__(self, doc):
        """`doc` annotated as the attribute ruler annotates it (its `set_annotations`, without
        a Span object per match)."""
        from spacy.tokens._retokenize import set_token_attrs

        matches = self.match(doc)
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for attr_id, _, start, end in matches:
            index = indices[attr_id]
            i = (end if index < 0 else start) + index
            if not start <= i < end:  # the ruler's own error, raised by the ruler itself
                self.ruler.set_annotations(doc, matches)
                raise AssertionError("the attribute ruler accepted an index outside its match")
            set_token_attrs(doc[i], attrs[attr_id])
        return doc


class FastLemmatizer:
    """The rule lemmatizer `lemmatizer` with every answer remembered by its own cache key (the
    token's form, part of speech and morphology); `__call__` lemmatizes a Doc as it does."""

    def __init__(self, lemmatizer, nlp):
        self.lemmatizer = lemmatizer
        self.strings = nlp.vocab.strings
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        """`doc` with the lemma of every token the lemmatizer would set, set."""
        from spacy.errors import Errors

        lem = self.lemmatizer
        if not lem._validated:
            lem._validate_tables(Errors.E1004)
        memo = self.memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        overwrite = lem.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]).tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                value = memo.get(key)
                token = doc[i]
                if value is None:
                    value = memo[key] = self.strings.add(lem.lemmatize(token)[0])
                token.lemma = value
        return doc


class FastTagging:
    """The attribute ruler, then the lemmatizer, each by its stand-in (see the module's docstring)."""

    def __init__(self, ruler: FastRuler, lemmatizer: FastLemmatizer):
        self.ruler = ruler
        self.lemmatizer = lemmatizer

    def __call__(self, doc):
        """`doc` annotated by the attribute ruler and the lemmatizer."""
        return self.lemmatizer(self.ruler(doc))


def stands_in_for(nlp) -> bool:
    """True when `nlp` has the steps this module stands in for exactly: an attribute ruler right
    before an English rule lemmatizer, the ruler's one-token rules reading only the token's own
    values, the lemmatizer deciding from form, part of speech and morphology alone."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import AttributeRuler

    names = nlp.pipe_names
    if RULER not in names or LEMMATIZER not in names or names.index(LEMMATIZER) != names.index(RULER) + 1:
        return False
    ruler, lem = nlp.get_pipe(RULER), nlp.get_pipe(LEMMATIZER)
    if type(ruler) is not AttributeRuler or type(lem) is not EnglishLemmatizer or lem.mode != "rule":
        return False
    for attr_id in range(len(ruler.attrs)):
        _, patterns = ruler.matcher.get(nlp.vocab.strings[str(attr_id)])
        if any(not set(token) <= _LOCAL_KEYS for pattern in patterns for token in pattern):
            return False
    return True


def speed_up(nlp) -> bool:
    """Put FastTagging in place of `nlp`'s attribute ruler and lemmatizer (they stay in the
    pipeline, disabled) when `stands_in_for(nlp)`; returns whether it did."""
    if not stands_in_for(nlp):
        return False
    from spacy.language import Language

    if not Language.has_factory(FAST):
        Language.factory(FAST, func=_make)
    nlp.add_pipe(FAST, after=LEMMATIZER)
    nlp.disable_pipe(RULER)
    nlp.disable_pipe(LEMMATIZER)
    return True


def _make(nlp, name):
    return FastTagging(FastRuler(nlp.get_pipe(RULER), nlp), FastLemmatizer(nlp.get_pipe(LEMMATIZER), nlp))
