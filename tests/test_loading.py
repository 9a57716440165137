"""core.extract.loading: long-lived data built without the cycle collector, then frozen."""
from __future__ import annotations

import gc
import weakref

import pytest

from core.extract.loading import bulk_load


def test_loading_pauses_the_collector_and_freezes_what_was_built():
    assert gc.isenabled()
    with bulk_load():
        assert not gc.isenabled()
        data = [{"name": f"city {i}", "alternates": [str(i)]} for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= 2 * len(data)
    assert not any(o is data for o in gc.get_objects())  # no longer walked by any collection


def test_loading_collects_the_garbage_made_before_it():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a reference cycle only the collector frees
    alive = weakref.ref(a)
    del a, b
    with bulk_load():
        assert alive() is None  # collected, not frozen for ever


def test_loading_restores_the_collector_after_an_error_and_keeps_it_off_when_it_was():
    with pytest.raises(ValueError), bulk_load():
        raise ValueError("bad data file")
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk_load():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
