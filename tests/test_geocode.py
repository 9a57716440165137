"""Online geocoding with a fake service: cache, failures, no network touched."""
from types import SimpleNamespace

import pandas as pd
import pytest
from geopy.exc import GeocoderUnavailable

from core import schema
from core.corpus.geocode import Geocoder, fill_coordinates
from core.errors import FetchError


class FakeService:
    def __init__(self, answers=None, error=None):
        self.answers, self.error, self.calls = answers or {}, error, []

    def geocode(self, query, timeout=None):
        self.calls.append((query, timeout))
        if self.error:
            raise self.error
        hit = self.answers.get(query)
        return SimpleNamespace(latitude=hit[0], longitude=hit[1]) if hit else None


def places(*names):
    return schema.validate("places", pd.DataFrame([
        {"name": n, "country": None, "lat": None, "lon": None, "n_articles": 1, "n_mentions": 1} for n in names]))


def test_geocode_fills_missing_and_caches_answers(tmp_path):
    service = FakeService({"Tumangang": (42.35, 130.7)})
    geo = Geocoder(service=service, cache_path=tmp_path / "g.json", min_delay=0, timeout=2)
    out, warnings = fill_coordinates(places("Tumangang", "Nowhere Land"), geo)
    assert warnings == []
    assert out[["lat", "lon"]].values.tolist()[0] == [42.35, 130.7]
    assert pd.isna(out.loc[1, "lat"])
    assert service.calls == [("Tumangang", 2), ("Nowhere Land", 2)]
    # a new geocoder reads the cache: no second request for either name
    again = FakeService()
    fill_coordinates(places("Tumangang", "Nowhere Land"),
                     Geocoder(service=again, cache_path=tmp_path / "g.json", min_delay=0))
    assert again.calls == []


def test_geocode_network_failure_is_one_clear_warning(tmp_path):
    service = FakeService(error=GeocoderUnavailable("no route to host"))
    geo = Geocoder(service=service, cache_path=tmp_path / "g.json", min_delay=0)
    with pytest.raises(FetchError, match="Tumangang"):
        geo.locate("Tumangang")
    out, warnings = fill_coordinates(places("Tumangang", "Rason"), geo)
    assert len(warnings) == 1 and "no route to host" in warnings[0]
    assert len(service.calls) == 2  # one for locate(), one for the batch: the batch stopped
    assert out["lat"].isna().all()
