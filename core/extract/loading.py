"""Loading the process's long-lived data (spaCy and its model, the gazetteer, GeoNames) without
the cycle collector walking it over and over.

Python runs a collection each time enough new container objects have been made, and a full one
each time enough have survived; importing spaCy, loading a model or reading GeoNames (a hundred
thousand lists and dicts) triggers several, each walking everything alive, though none of it is
ever garbage, and every full collection of the run walks all of it again. `bulk_load()` pauses
the collector while such data is built and then hands it to the collector's permanent
generation (`gc.freeze`).
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """A context for building data that lives as long as the process: garbage made before it is
    collected first (so none is kept), the cycle collector does not run inside, and every object
    alive at its end moves to the permanent generation, never walked again (objects there are
    still freed when nothing refers to them; only reference cycles among them would stay). The
    collector's former state is restored whatever happens inside."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
